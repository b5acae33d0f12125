'use client';

import { useEffect, useState } from 'react';
import type { ConsoleState } from './consoleReducer';
import { addProgress, EMPTY_HISTORY, type ProgressHistory } from './progressHistory';

/** The chart's points: one per batch the page receives (each carries the console's transfer totals), bounded. */
export function useProgressHistory({ transfer, summary, upgrade }: Pick<ConsoleState, 'transfer' | 'summary' | 'upgrade'>): ProgressHistory {
  const [history, setHistory] = useState<ProgressHistory>(EMPTY_HISTORY);
  useEffect(() => {
    if (transfer && summary && upgrade) setHistory((current) => addProgress(current, transfer, summary, upgrade));
    // A point per transfer sample: the summary and upgrade it came with are the latest the page has.
  }, [transfer]);
  return history;
}
