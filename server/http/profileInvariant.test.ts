import { generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toProfileView, type ImageDownloadProfileInput } from '../../lib/imageDownloadProfile';
import { fieldsChangedUnnamed, namedFieldPaths } from '../../lib/invariants/profileFields';
import { loadSecretBox } from '../secrets/secretBox';
import { EMPTY_PROFILE, ProfileRepository } from '../store/profileRepository';
import { ADMIN, startConsoleHarness, type ConsoleHarness } from '../sim/testing/consoleHarness';

// "A profile field changes only when a save names it", checked on random sequences of saves through the
// API (validation, merge, SQLite), each naming a random subset of fields with values the API accepts.
let harness: ConsoleHarness;
// The console's own database and key: what the next start would read.
const stored = async () => (await ProfileRepository.load(harness.instance.store.db, EMPTY_PROFILE, loadSecretBox(harness.config.dataDir, harness.config.secretKey).box)).get();

beforeAll(async () => {
  harness = await startConsoleHarness();
});

afterAll(async () => {
  await harness.dispose();
});

const PRIVATE_KEY = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'sec1', format: 'pem' }).toString();
const FINGERPRINT = (c: string) => `SHA256:${c.repeat(43)}`;
const PEM = '-----BEGIN CERTIFICATE-----\nMIIBtest\n-----END CERTIFICATE-----';

const server = fc.constantFrom('10.0.0.5', '10.0.0.6', 'images.example.net');
const imagePath = fc.constantFrom('/EWC/17_12_1_5', 'EWC/17_12_1_5', '/images');
const port = fc.constantFrom(22, 69, 2422, 6969);
const optional = { requiredKeys: [] as [] };

const slot = fc.record({ imageServer: server, imagePath, port }, optional);
const sftp = fc.record(
  {
    imageServer: server,
    imagePath,
    port,
    username: fc.constantFrom('calo', 'ewc-demo'),
    passwordType: fc.constant('UNENCRYPTED' as const),
    password: fc.constantFrom('', 'Pa55-word-one', 'Pa55-word-two'),
    authMethod: fc.constantFrom('password' as const, 'key' as const),
    privateKey: fc.constantFrom('', PRIVATE_KEY),
    hostKeyFingerprint: fc.constantFrom('', FINGERPRINT('A'), FINGERPRINT('B')),
    hostKeyType: fc.constantFrom('' as const, 'ssh-ed25519' as const, 'ssh-rsa' as const),
  },
  optional,
);
const cco = fc.record(
  {
    catalogUrl: fc.constantFrom('https://catalog.example.com', 'https://127.0.0.1:8643'),
    username: fc.constantFrom('noc', 'ewc-demo'),
    password: fc.constantFrom('', 'api-key-one', 'api-key-two'),
    release: fc.constantFrom('recommended', 'latest', '17.12.1.5'),
    autoCheck: fc.constantFrom('off' as const, 'daily' as const),
    autoCheckTime: fc.constantFrom('03:00', '22:15'),
    caCertificate: fc.constantFrom('', PEM),
    certificateFingerprint: fc.constantFrom('', Array(32).fill('AB').join(':')),
  },
  optional,
);
const desktop = fc.record({ uploadId: fc.constantFrom('', 'upload-1'), version: fc.constantFrom('', '17.12.1.5') }, optional);

/** One save as the page, the CLI or a script sends it: any subset of the fields, the top-level server fields included. */
const save: fc.Arbitrary<ImageDownloadProfileInput> = fc.record(
  {
    mode: fc.constantFrom('TFTP' as const, 'SFTP' as const, 'CCO' as const, 'DESKTOP' as const),
    parallelMode: fc.boolean(),
    imageServer: server,
    imagePath,
    port,
    tftp: slot,
    sftp,
    cco,
    desktop,
  },
  optional,
);

describe('a profile field changes only when a save names it', () => {
  it('holds for every save of random sequences naming random fields, on the stored profile and on the view', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(save, { minLength: 1, maxLength: 8 }), async (saves) => {
        for (const input of saves) {
          const before = await stored();
          const answer = await harness.instance.api.saveProfile(input, ADMIN);
          const after = await stored();
          // A refused save names nothing; an accepted one names what its input named (the top-level server fields in the mode's slot).
          const named = answer.status === 200 ? namedFieldPaths(input, before.mode) : new Set<string>();
          expect(answer.status === 200 || answer.status === 400, JSON.stringify(answer)).toBe(true);
          expect(fieldsChangedUnnamed(before, after, named), JSON.stringify(input)).toEqual([]);
          expect(fieldsChangedUnnamed(toProfileView(before), toProfileView(after), named), JSON.stringify(input)).toEqual([]);
        }
      }),
      { numRuns: 150 },
    );
  });
});
