'use client';

import { useTranslations } from 'next-intl';
import { useRefusalText } from '@/components/ui/useServerSentence';
import { useCallback } from 'react';
import type { ScheduledView } from '@/lib/rollout';
import { cancelScheduled, rolloutCommand } from './maintenanceRequests';
import type { ActionRunner } from './useActionRunner';

const DONE = { pause: 'pauseDone', resume: 'resumeDone', abort: 'abortDone' } as const;

/** Pause, Resume and Abort of the activation, and cancelling a scheduled action. */
export function useMaintenanceActions(runner: ActionRunner) {
  const t = useTranslations('messages');
  const refusalText = useRefusalText();
  const { run, inFlight, setMessage } = runner;
  const command = useCallback(
    async (action: 'pause' | 'resume' | 'abort') => {
      if (inFlight()) return;
      const result = await run('rollout', () => rolloutCommand(action));
      setMessage(result.ok ? { tone: 'success', text: t(DONE[action]), aboutForm: false } : { tone: 'error', text: refusalText(result), aboutForm: false });
    },
    [inFlight, run, setMessage, t, refusalText],
  );
  const cancelSchedule = useCallback(
    async (scheduled: ScheduledView) => {
      if (inFlight()) return;
      const result = await run('schedule', () => cancelScheduled(scheduled.id));
      setMessage(result.ok ? { tone: 'success', text: t('scheduleCancelled'), aboutForm: false } : { tone: 'error', text: refusalText(result), aboutForm: false });
    },
    [inFlight, run, setMessage, t, refusalText],
  );
  return { command: (action: 'pause' | 'resume' | 'abort') => void command(action), cancelSchedule: (scheduled: ScheduledView) => void cancelSchedule(scheduled) };
}
