import { createCcoImageSource, type CcoSourceDeps } from '../catalog/ccoImageSource';
import type { StoredProfile } from '../store/profileRepository';
import type { ImageSource } from './imageSource';

export type HttpModeSourceDeps = CcoSourceDeps;

/** The image source of the CCO and Desktop (HTTP) modes. */
export function createHttpModeSource(profile: StoredProfile, deps: HttpModeSourceDeps): ImageSource {
  return createCcoImageSource(profile, deps);
}
