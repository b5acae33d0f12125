'use client';

import { useCallback, useState } from 'react';
import { fetchConfigExport } from './consoleApi';
import type { ActionRunner } from './useActionRunner';

export interface ConfigExportApi {
  /** The exported CLI text while its dialog is open, else null. */
  text: string | null;
  open: () => void;
  close: () => void;
}

/** "Export configuration": the stored profile as EWC CLI lines, shown for copying. */
export function useConfigExport(runner: ActionRunner): ConfigExportApi {
  const { run, inFlight, setMessage } = runner;
  const [text, setText] = useState<string | null>(null);

  const load = useCallback(async () => {
    if (inFlight()) return;
    const result = await run('export', fetchConfigExport);
    if (!result.ok) return setMessage({ tone: 'error', text: result.error, aboutForm: false });
    setText(result.data);
  }, [inFlight, run, setMessage]);
  const close = useCallback(() => setText(null), []);

  return { text, open: () => void load(), close };
}
