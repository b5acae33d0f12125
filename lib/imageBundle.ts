/** The files of an unzipped AP bundle, as the EWC expects them under the image path. */
export const AP_IMAGE_TYPES = ['ap1g4', 'ap1g5', 'ap1g6', 'ap1g6a', 'ap1g7', 'ap1g8', 'ap3g3'] as const;
export type ImageType = (typeof AP_IMAGE_TYPES)[number];

export const CONTROLLER_IMAGE_FILE = 'C9800-AP-iosxe-wlc.bin';
/** AP image version of the bundle, e.g. `17.12.1.5`. */
export const VERSION_FILE = 'version.info';
/** Controller (IOS-XE) version of the bundle, e.g. `17.12.01.0`. */
export const CONTROLLER_VERSION_FILE = 'controller_version.info';
export const README_FILE = 'readme.txt';

/** Sizes from the seed's `ls -l` of a real 17.9.4a bundle, in bytes. */
export const REAL_IMAGE_SIZES: Record<ImageType | typeof CONTROLLER_IMAGE_FILE, number> = {
  ap1g4: 42_024_960,
  ap1g5: 39_895_040,
  ap1g6: 70_307_840,
  ap1g6a: 84_623_360,
  ap1g7: 76_728_320,
  ap1g8: 70_512_640,
  ap3g3: 59_156_480,
  'C9800-AP-iosxe-wlc.bin': 301_257_756,
};

export function isImageType(value: string): value is ImageType {
  return (AP_IMAGE_TYPES as readonly string[]).includes(value);
}

/** Joins the profile's image path and a bundle file name the way the EWC builds its URLs. */
export function joinImagePath(imagePath: string, fileName: string): string {
  const trimmed = imagePath.replace(/\/+$/, '');
  return trimmed === '' ? fileName : `${trimmed}/${fileName}`;
}
