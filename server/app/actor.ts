import type { Role } from '../../lib/validations/authSchemas';

export const ACTOR_VIAS = ['page', 'api', 'cli', 'schedule', 'restconf'] as const;
/** The surface a change came through: the history's "started by … (via)" and the upgrade's origin say it. */
export type ActorVia = (typeof ACTOR_VIAS)[number];

/**
 * Who asks a use case for a change. `sourceAddress` is what the audit line records as is: the HTTP caller's
 * address, `ADDRESS (ssh)` for the CLI, `schedule` for an action the scheduler runs.
 */
export interface Actor {
  username: string;
  role: Role;
  sourceAddress: string;
  via: ActorVia;
}

/** An adapter's caller (a session's user and address) as the actor of a use case, with the surface it came through. */
export function actorVia(caller: { username: string; role: Role; sourceAddress: string }, via: ActorVia): Actor {
  return { username: caller.username, role: caller.role, sourceAddress: caller.sourceAddress, via };
}
