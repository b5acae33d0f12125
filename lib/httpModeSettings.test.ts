import { describe, expect, it } from 'vitest';
import { EMPTY_IMAGE_DOWNLOAD_PROFILE, imageDownloadProfileInputSchema } from './imageDownloadProfile';
import { resolveProfilePatch } from './profilePatch';
import { versionFromFileName } from './httpModeSettings';

describe('versionFromFileName', () => {
  it('reads the version as Cisco names image files, and nothing from a name without one', () => {
    expect(versionFromFileName('AIR-AP1G8-K9-17.15.2.3.bin')).toBe('17.15.2.3');
    expect(versionFromFileName('ap1g7_17_12_1_5')).toBe('17.12.1.5');
    expect(versionFromFileName('C9800-AP-iosxe-wlc-17-12-1-5.bin')).toBe('17.12.1.5');
    expect(versionFromFileName('ap1g8')).toBe('');
  });
});

const issuePaths = (input: unknown) => {
  const parsed = imageDownloadProfileInputSchema.safeParse(input);
  if (!parsed.success) return parsed.error.issues.map((i) => i.path.join('.'));
  const resolved = resolveProfilePatch(EMPTY_IMAGE_DOWNLOAD_PROFILE, parsed.data);
  return resolved.ok ? [] : resolved.issues.map((i) => i.path);
};

describe('profile input in CCO and Desktop modes', () => {
  it('accepts CCO without image server fields, and requires the catalog URL and account', () => {
    expect(issuePaths({ mode: 'CCO', parallelMode: false, cco: { catalogUrl: 'https://catalog.example.com', username: 'noc' } })).toEqual([]);
    expect(issuePaths({ mode: 'CCO', parallelMode: false })).toEqual(['cco.catalogUrl', 'cco.username']);
    expect(issuePaths({ mode: 'CCO', parallelMode: false, cco: { catalogUrl: 'http://catalog.example.com', username: 'noc' } })).toEqual(['cco.catalogUrl']);
  });

  it('leaves the TFTP and SFTP servers alone: the top-level server fields name nothing in a save naming CCO', () => {
    const parsed = imageDownloadProfileInputSchema.parse({ mode: 'CCO', imageServer: '', imagePath: '', port: '', cco: { catalogUrl: 'https://c.example.com', username: 'noc' } });
    expect(parsed).toEqual({ mode: 'CCO', cco: { catalogUrl: 'https://c.example.com', username: 'noc' } });
  });

  it('checks the release choice, the daily time and the certificate fingerprint', () => {
    expect(
      issuePaths({
        mode: 'CCO',
        parallelMode: false,
        cco: { catalogUrl: 'https://c.example.com', username: 'noc', release: 'newest', autoCheck: 'daily', autoCheckTime: '25:00', certificateFingerprint: 'AB:CD' },
      }),
    ).toEqual(['cco.release', 'cco.autoCheckTime', 'cco.certificateFingerprint']);
  });

  it('requires an upload and a version in Desktop mode', () => {
    expect(issuePaths({ mode: 'DESKTOP', parallelMode: false })).toEqual(['desktop.uploadId', 'desktop.version']);
  });
});
