'use client';

import type { ResultMessage } from '@/components/ui/ResultBanner';
import { useRequestRunner, type RequestRunner } from '@/components/ui/useRequestRunner';

export type ConsoleActionName = 'save' | 'download' | 'activate' | 'cancel' | 'hostKey' | 'export' | 'rollout' | 'schedule';

/** What the last action reported, for the action banner. */
export interface ActionMessage extends ResultMessage {
  /** A "Saved" confirmation is stale as soon as the form is edited again. */
  aboutForm: boolean;
}

export type ActionRunner = RequestRunner<ConsoleActionName, ActionMessage>;

/** One request at a time for every button on the Software Upgrade page, and the banner they share. */
export function useActionRunner(): ActionRunner {
  return useRequestRunner<ConsoleActionName, ActionMessage>();
}
