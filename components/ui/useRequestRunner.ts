'use client';

import { useCallback, useMemo, useRef, useState } from 'react';
import type { ResultMessage } from './ResultBanner';

export interface RequestRunner<Name extends string, Message extends ResultMessage> {
  busy: Name | null;
  message: Message | null;
  setMessage: (message: Message | null) => void;
  /** Read from a ref, so a second press in the same tick already sees the first. */
  inFlight: () => boolean;
  /** Marks `name` busy and clears the banner while `call` runs; callers check inFlight() first. */
  run: <T>(name: Name, call: () => Promise<T>) => Promise<T>;
}

/** One request at a time for every button of a page, and the result banner they share. */
export function useRequestRunner<Name extends string, Message extends ResultMessage>(): RequestRunner<Name, Message> {
  const [busy, setBusy] = useState<Name | null>(null);
  const [message, setMessage] = useState<Message | null>(null);
  // Disabled buttons do not stop Enter in a field from submitting again; this does.
  const pending = useRef(false);

  const inFlight = useCallback(() => pending.current, []);
  const run = useCallback(async <T>(name: Name, call: () => Promise<T>): Promise<T> => {
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
