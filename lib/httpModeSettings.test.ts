import { describe, expect, it } from 'vitest';
import { imageDownloadProfileInputSchema } from './imageDownloadProfile';
import { versionFromFileName } from './httpModeSettings';

describe('versionFromFileName', () => {
  it('reads the version as Cisco names image files, and nothing from a name without one', () => {
    expect(versionFromFileName('AIR-AP1G8-K9-17.15.2.3.bin')).toBe('17.15.2.3');
    expect(versionFromFileName('ap1g7_17_12_1_5')).toBe('17.12.1.5');
    expect(versionFromFileName('C9800-AP-iosxe-wlc-17-12-1-5.bin')).toBe('17.12.1.5');
    expect(versionFromFileName('ap1g8')).toBe('');
  });
});

describe('profile schema in CCO and Desktop modes', () => {
  it('accepts CCO without image server fields, and requires the catalog URL and account', () => {
    const ok = imageDownloadProfileInputSchema.safeParse({ mode: 'CCO', parallelMode: false, cco: { catalogUrl: 'https://catalog.example.com', username: 'noc' } });
    expect(ok.success && ok.data.imageServer).toBe('catalog.example.com');
    const missing = imageDownloadProfileInputSchema.safeParse({ mode: 'CCO', parallelMode: false });
    expect(missing.success ? [] : missing.error.issues.map((i) => i.path.join('.'))).toEqual(['cco.catalogUrl', 'cco.username']);
    const http = imageDownloadProfileInputSchema.safeParse({ mode: 'CCO', parallelMode: false, cco: { catalogUrl: 'http://catalog.example.com', username: 'noc' } });
    expect(http.success ? [] : http.error.issues.map((i) => i.path.join('.'))).toEqual(['cco.catalogUrl']);
  });

  it('checks the release choice, the daily time and the certificate fingerprint', () => {
    const parsed = imageDownloadProfileInputSchema.safeParse({
      mode: 'CCO',
      parallelMode: false,
      cco: { catalogUrl: 'https://c.example.com', username: 'noc', release: 'newest', autoCheck: 'daily', autoCheckTime: '25:00', certificateFingerprint: 'AB:CD' },
    });
    expect(parsed.success ? [] : parsed.error.issues.map((i) => i.path.join('.'))).toEqual(['cco.release', 'cco.autoCheckTime', 'cco.certificateFingerprint']);
  });

  it('requires an upload and a version in Desktop mode', () => {
    const parsed = imageDownloadProfileInputSchema.safeParse({ mode: 'DESKTOP', parallelMode: false });
    expect(parsed.success ? [] : parsed.error.issues.map((i) => i.path.join('.'))).toEqual(['desktop.uploadId', 'desktop.version']);
  });
});
