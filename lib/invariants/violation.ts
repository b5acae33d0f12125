/**
 * The console's truth rules, each named once. A rule is a pure function over plain data (what the
 * page, the CLI, the API, the history and the log said at one moment) that returns what is untrue,
 * in words an engineer can act on; an empty list means the rule holds.
 */
export const INVARIANTS = {
  countersAddUp: 'The status counters add up to Total number of APs, and each counter counts the rows in its status',
  predownloadInProgress: '"Predownload in progress" is Yes exactly while a predownload runs (stage Initiate to Network Upgrade)',
  surfacesAgree: "Every AP's row on the page, in show ap image and in GET /api/ap-image says the same thing",
  profileFieldsNamed: 'A profile field changes only when a save names it',
  historyAgrees: "The history's state, end time, counts and failed count agree with the upgrade and its APs' rows",
  runningClaims: '"Completed" and "run X" are said only of APs that run X',
  verifyClaims: 'No line says "verify success" for an image that was not verified against a signature',
  controllerVersion: 'The controller runs the controller software of the AP that hosts it, and is said to run no other',
  resumeFigures: 'A transfer that waits to resume stands still, and shows the last count the AP acknowledged only until the AP rejoins',
  runsMoveOn: 'An upgrade under way moves on: it comes to rest (Activate, an end, a bundle held for trust, a paused rollout) rather than waiting on nothing',
  joinDownload: "An AP that joins on another version than the controller's is given it (and ends Joined running it, or Failed with why), or the log says why not",
} as const;

export type InvariantName = keyof typeof INVARIANTS;

export interface Violation {
  invariant: InvariantName;
  /** What is untrue, with the values seen: `show ap image: Initiated is 4 but 3 rows are Initiated`. */
  message: string;
}

export function violation(invariant: InvariantName, message: string): Violation {
  return { invariant, message };
}

/** One line per violation, with the rule's name: what a failing run prints. */
export function describeViolations(violations: readonly Violation[]): string {
  return violations.map((v) => `[${v.invariant}] ${v.message}`).join('\n');
}
