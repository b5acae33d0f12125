import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ImageCache, type CachedImage } from './imageCache';
import { sha256OfFile } from '../imageSigning/fileDigest';
import { ImageFetchError, type ImageSource } from './imageSource';
import { checkCachedImage, readBundleSignature, withBundleTrust, type BundleSigning } from './bundleSignature';
import { DigestTrust } from '../imageSigning/digestTrust';
import { openDataDirStore } from '../store/store';
import { verifiedWords } from '../imageSigning/imageVerification';
import type { TrustedDigest } from '../imageSigning/digestTrust';
import { writeSignedManifest } from '../imageSigning/imageManifest';

// A unit seam: a bundle in a local folder stands in for an image server.
function folderSource(dir: string, trusted: (sha256: string) => TrustedDigest | null = () => null): ImageSource & { trustedDigest: ImageSource['trustedDigest'] } {
  return {
    displayUrl: (name) => `folder://${name}`,
    fetch: async (name, destination) => {
      if (!fs.existsSync(path.join(dir, name))) throw new ImageFetchError('No such file or directory', false);
      fs.copyFileSync(path.join(dir, name), destination);
      return { bytes: fs.statSync(destination).size, elapsedMs: 0, detail: '' };
    },
    trustedDigest: (_name, sha256) => trusted(sha256),
  };
}

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-signing-'));
const options = () => ({ signal: new AbortController().signal, onProgress: () => undefined });

async function cachedImage(dir: string, name: string): Promise<CachedImage> {
  const file = path.join(dir, name);
  return { fileName: name, path: file, size: fs.statSync(file).size, sha256: await sha256OfFile(file), elapsedMs: 0, detail: '' };
}

describe('what vouches for an image before delivery', () => {
  it('refuses a signed manifest made for another version than the bundle says it is', async () => {
    const key = generateKeyPairSync('ed25519').privateKey;
    const bundle = tmp();
    fs.writeFileSync(path.join(bundle, 'ap1g8'), 'image');
    writeSignedManifest(bundle, '17.9.4.27', ['ap1g8'], key);
    const keys = tmp();
    fs.writeFileSync(path.join(keys, 'vendor.pem'), createPublicKey(key).export({ type: 'spki', format: 'pem' }));
    const source = folderSource(bundle);
    const policy = { unsignedImages: 'refuse' as const, vendorKeyDir: keys, acceptsTrustedDigests: false };
    expect(await readBundleSignature(new ImageCache(tmp(), source), options, { ...policy, expectedVersion: '17.12.1.5' })).toEqual({
      ok: false,
      reason: 'Image signing verify failed: the signed manifest is for version 17.9.4.27, the bundle says 17.12.1.5',
    });
    const same = await readBundleSignature(new ImageCache(tmp(), source), options, { ...policy, expectedVersion: '17.9.4.27' });
    expect(same.ok && same.value.kind).toBe('signed');
  });

  it('looks an unsigned image up in the trust list at each delivery: trusted, SHA-256 only, or refused', async () => {
    const bundle = tmp();
    fs.writeFileSync(path.join(bundle, 'ap1g8'), 'uploaded image');
    const image = await cachedImage(bundle, 'ap1g8');
    let trust: TrustedDigest | null = null;
    const source = folderSource(bundle, (sha256) => (trust?.sha256 === sha256 ? trust : null));
    const unsigned = (allowUnsigned: boolean): BundleSigning => ({ ok: true, value: { kind: 'unsigned', allowUnsigned } });

    expect(checkCachedImage(unsigned(false), image, source)).toEqual({
      ok: false,
      reason: `Image signing verify failed: ap1g8 is not signed and no administrator trusted its SHA-256 ${image.sha256}`,
    });
    trust = { source: 'desktop', name: 'ap1g8.bin', sha256: image.sha256, size: image.size, trustedBy: 'noc-lead', trustedAt: '2026-02-01T17:05:37.108Z' };
    const trusted = checkCachedImage(unsigned(false), image, source);
    expect(trusted).toEqual({ ok: true, value: { method: 'trusted-digest', sha256: image.sha256, trustedBy: 'noc-lead', trustedAt: '2026-02-01T17:05:37.108Z' } });
    expect(trusted.ok && verifiedWords(trusted.value)).toBe('Image verify success (SHA-256 trusted by noc-lead: the image is not signed)');
    // A trust withdrawn, or an image that changed since, is seen at the next delivery.
    trust = null;
    expect(checkCachedImage(unsigned(false), image, source).ok).toBe(false);
    const digestOnly = checkCachedImage(unsigned(true), image, source);
    expect(digestOnly.ok && verifiedWords(digestOnly.value)).toBe('Image verify success (SHA-256 only: the bundle is not signed)');
  });

  it("pins an image server bundle's digests under its URL: each delivery of a file whose bytes changed is refused, whatever its name", async () => {
    const bundle = tmp();
    fs.writeFileSync(path.join(bundle, 'ap1g8'), 'vendor image');
    const store = await openDataDirStore(tmp());
    const trust = await DigestTrust.load(store.db);
    const server = { displayUrl: (name: string) => `tftp://10.0.0.5/EWC/17_15_2/${name}`, fetch: folderSource(bundle).fetch };
    const source = withBundleTrust(server, trust);
    const approved = await cachedImage(bundle, 'ap1g8');
    const unsigned: BundleSigning = { ok: true, value: { kind: 'unsigned', allowUnsigned: false } };
    await trust.trust('tftp://10.0.0.5/EWC/17_15_2', [{ name: 'ap1g8', size: approved.size, sha256: approved.sha256 }], 'noc-lead');
    expect(checkCachedImage(unsigned, approved, source)).toMatchObject({ ok: true, value: { method: 'trusted-digest', sha256: approved.sha256, trustedBy: 'noc-lead' } });

    fs.writeFileSync(path.join(bundle, 'ap1g8'), 'vendor image, changed');
    const changed = await cachedImage(bundle, 'ap1g8');
    expect(checkCachedImage(unsigned, changed, source)).toEqual({
      ok: false,
      reason: `Image signing verify failed: ap1g8 is not signed and no administrator trusted its SHA-256 ${changed.sha256}`,
    });
    // The approved bytes under another name, or the same bundle path on another server, are other decisions.
    expect(checkCachedImage(unsigned, { ...approved, fileName: 'ap1g7' }, source).ok).toBe(false);
    const elsewhere = withBundleTrust({ ...server, displayUrl: (name: string) => `tftp://10.0.0.6/EWC/17_15_2/${name}` }, trust);
    expect(checkCachedImage(unsigned, approved, elsewhere).ok).toBe(false);
    await store.close();
  });
});
