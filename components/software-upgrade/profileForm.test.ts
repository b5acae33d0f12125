import { describe, expect, it } from 'vitest';
import { EMPTY_IMAGE_DOWNLOAD_PROFILE, toProfileView, type ImageDownloadProfileView } from '@/lib/imageDownloadProfile';
import { readPrivateKeyFile } from './privateKeyFile';
import { EMPTY_PROFILE_FORM, formValuesFromProfile, parseHostKeyRequest, parseProfileForm, visibleFieldPaths, withoutSecrets, type ProfileFormValues, type SftpFormValues } from './profileForm';

const FINGERPRINT = `SHA256:${'A'.repeat(43)}`;
const KEY = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n';

function sftpForm(sftp: Partial<SftpFormValues>): ProfileFormValues {
  return {
    ...EMPTY_PROFILE_FORM,
    mode: 'SFTP',
    sftp: { ...EMPTY_PROFILE_FORM.sftp, imageServer: '10.0.0.5', imagePath: '/images', port: '22', username: 'calo', ...sftp },
  };
}

const STORED = { hasPassword: true, hasPrivateKey: true };

function bodyOf(values: ProfileFormValues) {
  const parsed = parseProfileForm(values, STORED);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.body;
}

describe('parseProfileForm', () => {
  it('sends a typed password and leaves it out when empty, so the stored one is kept', () => {
    expect(bodyOf(sftpForm({ password: 's3cret' })).sftp).toMatchObject({ authMethod: 'password', password: 's3cret' });
    expect(bodyOf(sftpForm({ password: '' })).sftp).not.toHaveProperty('password');
  });

  it('with key authentication sends the key and passphrase, never a password typed before switching', () => {
    const sftp = bodyOf(sftpForm({ authMethod: 'key', password: 'typed-earlier', privateKey: KEY, passphrase: 'pp' })).sftp;
    expect(sftp).toMatchObject({ authMethod: 'key', privateKey: KEY, passphrase: 'pp' });
    expect(sftp).not.toHaveProperty('password');
  });

  it('leaves out a blank key and passphrase', () => {
    const sftp = bodyOf(sftpForm({ authMethod: 'key', privateKey: '  \n', passphrase: '' })).sftp;
    expect(sftp).not.toHaveProperty('privateKey');
    expect(sftp).not.toHaveProperty('passphrase');
  });

  it('in TFTP mode names the TFTP server, path and port only: nothing of SFTP, CCO or Desktop', () => {
    const body = bodyOf({ ...sftpForm({ password: 'x', privateKey: KEY }), mode: 'TFTP', tftp: { imageServer: '10.0.0.9', imagePath: '/EWC', port: '' } });
    expect(body).toEqual({ mode: 'TFTP', parallelMode: false, tftp: { imageServer: '10.0.0.9', imagePath: '/EWC', port: 69 } });
  });

  it('asks for what the mode needs and the controller does not store yet', () => {
    const parsed = parseProfileForm(sftpForm({ password: '' }), { hasPassword: false, hasPrivateKey: false });
    expect(parsed.ok ? {} : parsed.errors).toEqual({ 'sftp.password': 'Password is required in SFTP mode' });
    const tftp = parseProfileForm({ ...EMPTY_PROFILE_FORM, tftp: { imageServer: '', imagePath: '/EWC', port: '69' } }, STORED);
    expect(tftp.ok ? {} : Object.keys(tftp.errors)).toEqual(['tftp.imageServer']);
  });

  it('checks the host key fingerprint with the API schema', () => {
    expect(bodyOf(sftpForm({ hostKeyFingerprint: FINGERPRINT })).sftp?.hostKeyFingerprint).toBe(FINGERPRINT);
    const parsed = parseProfileForm(sftpForm({ hostKeyFingerprint: 'MD5:aa:bb' }), STORED);
    expect(parsed.ok ? [] : Object.keys(parsed.errors)).toEqual(['sftp.hostKeyFingerprint']);
  });
});

describe('visibleFieldPaths', () => {
  it('shows the fields of the chosen authentication only', () => {
    expect(visibleFieldPaths(sftpForm({ authMethod: 'key' }))).toEqual(expect.arrayContaining(['sftp.privateKey', 'sftp.passphrase', 'sftp.hostKeyFingerprint']));
    expect(visibleFieldPaths(sftpForm({ authMethod: 'key' }))).not.toContain('sftp.password');
    expect(visibleFieldPaths(sftpForm({ authMethod: 'password' }))).not.toContain('sftp.privateKey');
    expect(visibleFieldPaths(EMPTY_PROFILE_FORM).some((path) => path.startsWith('sftp.'))).toBe(false);
  });
});

describe('formValuesFromProfile', () => {
  it('fills the fingerprint and never a secret', () => {
    const stored = EMPTY_IMAGE_DOWNLOAD_PROFILE;
    const view: ImageDownloadProfileView = toProfileView({
      ...stored,
      mode: 'SFTP',
      sftp: { ...stored.sftp, imageServer: '10.0.0.5', imagePath: '/images', username: 'calo', passwordType: 'AES', password: 'pw', authMethod: 'key', privateKey: KEY },
    });
    expect(formValuesFromProfile(view).sftp).toEqual({
      imageServer: '10.0.0.5',
      imagePath: '/images',
      port: '22',
      username: 'calo',
      passwordType: 'AES',
      authMethod: 'key',
      hostKeyFingerprint: '',
      password: '',
      privateKey: '',
      passphrase: '',
    });
    expect(formValuesFromProfile({ ...view, sftp: { ...view.sftp, hostKeyFingerprint: FINGERPRINT } }).sftp.hostKeyFingerprint).toBe(FINGERPRINT);
  });

  it('withoutSecrets empties the three secrets and keeps the rest', () => {
    const values = sftpForm({ password: 'a', privateKey: KEY, passphrase: 'b', hostKeyFingerprint: FINGERPRINT });
    expect(withoutSecrets(values).sftp).toMatchObject({ password: '', privateKey: '', passphrase: '', hostKeyFingerprint: FINGERPRINT, username: 'calo' });
  });
});

describe('parseHostKeyRequest', () => {
  it('asks about the form server and port, the mode default when the port is empty', () => {
    const values = sftpForm({});
    expect(parseHostKeyRequest({ ...values, sftp: { ...values.sftp, port: '' } })).toEqual({ ok: true, body: { imageServer: '10.0.0.5', port: 22 } });
  });

  it('reports a bad server or port under those fields', () => {
    const values = sftpForm({});
    const parsed = parseHostKeyRequest({ ...values, sftp: { ...values.sftp, imageServer: '300.1.1.1', port: '70000' } });
    expect(parsed.ok ? [] : Object.keys(parsed.errors).sort()).toEqual(['sftp.imageServer', 'sftp.port']);
  });
});

describe('readPrivateKeyFile', () => {
  it('reads a private key and refuses a public one', async () => {
    expect(await readPrivateKeyFile(new File([KEY], 'id_ed25519'))).toEqual({ ok: true, text: KEY });
    const pub = await readPrivateKeyFile(new File(['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA calo@laptop\n'], 'id_ed25519.pub'));
    expect(pub.ok).toBe(false);
  });

  it('refuses a file far larger than any key without reading it', async () => {
    expect((await readPrivateKeyFile(new File([new Uint8Array(100_000)], 'image.bin'))).ok).toBe(false);
  });
});
