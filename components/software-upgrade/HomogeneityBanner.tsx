import { NON_HOMOGENEOUS_MESSAGE } from '@/lib/httpModeSettings';
import { Alert } from '@/components/ui/Alert';

/** The controller's own warning: with mixed AP images, the browser cannot serve as the image source. */
export function HomogeneityBanner({ homogeneous }: { homogeneous: boolean }) {
  if (homogeneous) return null;
  return (
    <Alert tone="warning" data-testid="homogeneity-banner">
      {NON_HOMOGENEOUS_MESSAGE}
    </Alert>
  );
}
