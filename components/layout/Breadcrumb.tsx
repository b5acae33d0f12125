import { getTranslations } from 'next-intl/server';

export async function Breadcrumb({ items }: { items: readonly string[] }) {
  const t = await getTranslations('nav');
  return (
    <nav className="breadcrumb" aria-label={t('breadcrumb')}>
      <ol>
        {items.map((item, index) => (
          <li key={item} aria-current={index === items.length - 1 ? 'location' : undefined}>
            {item}
          </li>
        ))}
      </ol>
    </nav>
  );
}
