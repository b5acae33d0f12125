export function Breadcrumb({ items }: { items: readonly string[] }) {
  return (
    <nav className="breadcrumb" aria-label="Breadcrumb">
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
