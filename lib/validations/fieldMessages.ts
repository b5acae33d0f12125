/**
 * The shared schemas' field messages, each under a stable code. The API answers the English message
 * (scripts read it) with the code beside it; the page shows the code's message in its own language
 * (the `fieldErrors` catalogue), falling back to the English message for a code it does not know.
 * The code is the key here and in every catalogue: rename one and the catalogue test fails.
 */
export const FIELD_MESSAGES = {
  imageServerRequired: 'Image Server is required',
  imagePathRequired: 'Image Path is required',
  imagePathTooLong: 'Image Path is 255 characters at most',
  imagePathUnsafe: 'Image Path cannot contain control, line-break or text-direction characters',
  imagePathDotDot: 'Image Path cannot contain ".."',
  portNotNumber: 'Port must be a whole number between 1 and 65535',
  portNotInteger: 'Port must be a whole number',
  portOutOfRange: 'Port must be between 1 and 65535',
  sftpUsernameTooLong: 'User Name is 64 characters at most',
  sftpUsernameSpaces: 'User Name cannot contain spaces',
  hostKeyFingerprintForm: 'A host key fingerprint looks like SHA256: followed by 43 characters, as ssh-keygen -lf prints it',
  usernameRequired: 'User name is required',
  usernameTooLong: 'User name is 32 characters at most',
  usernamePattern: 'User name must start with a letter or digit and contain only letters, digits, ".", "_" and "-"',
  loginUsernameTooLong: 'User name is too long',
  passwordRequired: 'Password is required',
  // The policy's two lengths (MIN_PASSWORD_LENGTH, MAX_PASSWORD_LENGTH); passwordPolicy.test.ts holds them to these words.
  passwordTooShort: 'Password must be at least 12 characters',
  passwordTooLong: 'Password is 1024 characters at most',
  loginPasswordTooLong: 'Password is too long',
  roleInvalid: 'Role must be admin or monitor',
  // The account service's answers about the current password on a password change (the API adds the code).
  currentPasswordRequired: 'Enter your current password',
  currentPasswordWrong: 'The current password is wrong',
  // The language an account keeps for the page: one of lib/locale.ts's LOCALES.
  localeInvalid: 'Language must be one of en, es, fr, zh-CN',
} as const;

export type FieldMessageCode = keyof typeof FIELD_MESSAGES;

const CODE_OF_MESSAGE = new Map<string, FieldMessageCode>(Object.entries(FIELD_MESSAGES).map(([code, message]) => [message, code as FieldMessageCode]));

/** The stable code of a shared schema's message, or undefined for a message without one (dynamic ones). */
export function fieldMessageCode(message: string): FieldMessageCode | undefined {
  return CODE_OF_MESSAGE.get(message);
}

export function isFieldMessageCode(value: unknown): value is FieldMessageCode {
  return typeof value === 'string' && Object.hasOwn(FIELD_MESSAGES, value);
}
