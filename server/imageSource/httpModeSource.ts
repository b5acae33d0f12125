import { createCcoImageSource, type CcoSourceDeps } from './ccoImageSource';
import type { StoredProfile } from '../store/profileRepository';
import { DesktopImageSource, type DesktopSourceDeps } from './desktopImageSource';
import type { ImageSource } from './imageSource';

export type HttpModeSourceDeps = CcoSourceDeps & DesktopSourceDeps;

/** The image source of the CCO and Desktop (HTTP) modes. */
export function createHttpModeSource(profile: StoredProfile, deps: HttpModeSourceDeps): ImageSource {
  return profile.mode === 'DESKTOP' ? new DesktopImageSource(profile, deps) : createCcoImageSource(profile, deps);
}
