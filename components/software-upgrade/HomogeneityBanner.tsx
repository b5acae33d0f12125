import { useTranslations } from 'next-intl';
import { Alert } from '@/components/ui/Alert';

/** The controller's own warning: with mixed AP images, the browser cannot serve as the image source. */
export function HomogeneityBanner({ homogeneous }: { homogeneous: boolean }) {
  const t = useTranslations('homogeneity');
  if (homogeneous) return null;
  return (
    <Alert tone="warning" data-testid="homogeneity-banner">
      {t('nonHomogeneous')}
    </Alert>
  );
}
