'use client';

import { useTranslations } from 'next-intl';
import { useCallback, useState } from 'react';
import type { ActivateRequest, ScheduledView } from '@/lib/rollout';
import { useRefusalText } from '@/components/ui/useServerSentence';
import { activationText, cancelText, scheduleCancelText, type ConfirmText } from './confirmText';
import { previewActivation, previewCancel } from './maintenanceRequests';
import type { ActionRunner } from './useActionRunner';

/** The commands a confirmation stands in front of: they run only after the admin said yes. */
export interface ConfirmedCommands {
  activate: (options: Partial<ActivateRequest>) => void;
  cancel: () => void;
  cancelSchedule: (item: ScheduledView) => void;
}

export interface ActionConfirmationApi {
  /** What the open confirmation says; null when none is open. */
  pending: ConfirmText | null;
  /** Asks the server what Activate would reload, then asks the admin. */
  activate: (options: Partial<ActivateRequest>) => void;
  /** Asks the server what Cancel would stop, then asks the admin. */
  cancel: () => void;
  cancelSchedule: (item: ScheduledView) => void;
  confirm: () => void;
  dismiss: () => void;
}

interface Pending {
  text: ConfirmText;
  run: () => void;
}

/**
 * Activate, Cancel and Cancel schedule act on the whole network: the page names what will happen
 * (from the server's preview, worked out by the rules the command follows) and waits for a yes.
 * The CLI and the API act at once, as IOS does.
 */
export function useActionConfirmation(runner: ActionRunner, commands: ConfirmedCommands, controllerTimeZone: string): ActionConfirmationApi {
  const t = useTranslations('confirm');
  const tButtons = useTranslations('upgradeButtons');
  const { run, inFlight, setMessage } = runner;
  const [pending, setPending] = useState<Pending | null>(null);
  const refusalText = useRefusalText();

  const activate = useCallback(
    async (options: Partial<ActivateRequest>) => {
      if (inFlight()) return;
      const preview = await run('activate', () => previewActivation(options));
      if (!preview.ok) return setMessage({ tone: 'error', text: refusalText(preview), aboutForm: false });
      setPending({ text: activationText(t, preview.data, options, controllerTimeZone), run: () => commands.activate(options) });
    },
    [commands, controllerTimeZone, inFlight, run, setMessage, t, refusalText],
  );

  const cancel = useCallback(async () => {
    if (inFlight()) return;
    const preview = await run('cancel', previewCancel);
    if (!preview.ok) return setMessage({ tone: 'error', text: refusalText(preview), aboutForm: false });
    setPending({ text: cancelText(t, preview.data), run: commands.cancel });
  }, [commands, inFlight, run, setMessage, t, refusalText]);

  return {
    pending: pending?.text ?? null,
    activate: (options) => void activate(options),
    cancel: () => void cancel(),
    cancelSchedule: (item) =>
      setPending({ text: scheduleCancelText(t, tButtons(item.action === 'download' ? 'saveAndDownload' : 'activate'), item, controllerTimeZone), run: () => commands.cancelSchedule(item) }),
    confirm: () => {
      setPending(null);
      pending?.run();
    },
    dismiss: () => setPending(null),
  };
}
