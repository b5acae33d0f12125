'use client';

import { useCallback, useMemo, useRef, useState } from 'react';
import type { ResultMessage } from '@/components/ui/ResultBanner';

export type ConsoleActionName = 'save' | 'download' | 'activate' | 'cancel' | 'hostKey' | 'export';

/** What the last action reported, for the action banner. */
export interface ActionMessage extends ResultMessage {
  /** A "Saved" confirmation is stale as soon as the form is edited again. */
  aboutForm: boolean;
}

export interface ActionRunner {
  busy: ConsoleActionName | null;
  message: ActionMessage | null;
  setMessage: (message: ActionMessage | null) => void;
  /** Read from a ref, so a second press in the same tick already sees the first. */
  inFlight: () => boolean;
  /** Marks `name` busy and clears the banner while `call` runs; callers check inFlight() first. */
  run: <T>(name: ConsoleActionName, call: () => Promise<T>) => Promise<T>;
}

/** One request at a time for every button on the page, and the banner they share. */
export function useActionRunner(): ActionRunner {
  const [busy, setBusy] = useState<ConsoleActionName | null>(null);
  const [message, setMessage] = useState<ActionMessage | null>(null);
  // Disabled buttons do not stop Enter in a field from submitting again; this does.
  const pending = useRef(false);

  const inFlight = useCallback(() => pending.current, []);
  const run = useCallback(async <T>(name: ConsoleActionName, call: () => Promise<T>): Promise<T> => {
    pending.current = true;
    setBusy(name);
    setMessage(null);
    try {
      return await call();
    } finally {
      pending.current = false;
      setBusy(null);
    }
  }, []);

  return useMemo(() => ({ busy, message, setMessage, inFlight, run }), [busy, message, inFlight, run]);
}
