import type { CatalogCheckResult } from '@/lib/firmwareCatalog';
import type { ImageDownloadProfileView } from '@/lib/imageDownloadProfile';
import { CcoFields } from './CcoFields';
import { DesktopFields } from './DesktopFields';
import type { ProfileFormApi } from './useProfileForm';

export interface HttpModeFieldsProps {
  form: ProfileFormApi;
  profile: ImageDownloadProfileView | null;
  checks: CatalogCheckResult | null;
  homogeneous: boolean;
  canChange: boolean;
}

function knownVersions(result: CatalogCheckResult | null): string[] {
  const versions = result?.imageTypes.flatMap((t) => [t.latest?.version, t.recommended?.version]) ?? [];
  return [...new Set(versions.filter((v): v is string => !!v))].sort();
}

/** The fields of whichever HTTP mode is chosen. */
export function HttpModeFields({ form, profile, checks, homogeneous, canChange }: HttpModeFieldsProps) {
  if (form.values.mode === 'CCO') return <CcoFields form={form} hasPassword={profile?.cco?.hasPassword === true} knownVersions={knownVersions(checks)} />;
  return <DesktopFields form={form} homogeneous={homogeneous} canChange={canChange} />;
}
