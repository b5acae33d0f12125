/** Far above any real key (the API takes 16 KiB), low enough that picking a firmware image by mistake is refused unread. */
const MAX_KEY_FILE_BYTES = 64 * 1024;

// What ssh-keygen writes to the .pub file next to the key; the two are easy to mix up in a file picker.
const PUBLIC_KEY_LINE = /^(ssh-(rsa|dss|ed25519|ed448)|ecdsa-sha2-nistp\d+|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com) AAAA/;

export type KeyFileText = { ok: true; text: string } | { ok: false; error: string };

/** Reads a chosen key file's text, refusing what cannot be a private key before it lands in the form. */
export async function readPrivateKeyFile(file: File): Promise<KeyFileText> {
  if (file.size > MAX_KEY_FILE_BYTES) return { ok: false, error: `${file.name} is too large to be a private key` };
  let text: string;
  try {
    text = await file.text();
  } catch {
    return { ok: false, error: `${file.name} could not be read` };
  }
  if (PUBLIC_KEY_LINE.test(text.trimStart())) return { ok: false, error: `${file.name} is a public key; choose the private key file (without .pub)` };
  return { ok: true, text };
}
