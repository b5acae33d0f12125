// Test data shared by the form's and the server's password-policy tests (the policy itself is passwordPolicy.ts).
// The weak passwords a probe of the console got accepted: common words with a year and symbols, keyboard
// walks, product names, repetitions and the user name with digits.
export const WEAK_PASSWORDS: [string, string][] = [
  ['noc', 'Summer2024!!'],
  ['noc', 'P4ssw0rd2025'],
  ['noc', 'Cisco!Cisco!'],
  ['noc', '1qaz2wsx3edc'],
  ['noc', 'zxcvbnmasdfg'],
  ['noc', 'Passpasspass'],
  ['user', 'user12345678'],
];
/** The refusal as the field shows it: the estimator's score, then its own warning and suggestions. */
export const ADVICE = /^Password is too easy to guess \(strength [0-3] of 4, 4 needed\)\. \S.*\.$/;
