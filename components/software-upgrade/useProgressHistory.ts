'use client';

import { useState } from 'react';
import type { ConsoleState } from './consoleReducer';
import { addProgress, EMPTY_HISTORY, type ProgressHistory } from './progressHistory';

/** The chart's points: one per batch the page receives (each carries the console's transfer totals), bounded. */
export function useProgressHistory({ transfer, summary, upgrade }: Pick<ConsoleState, 'transfer' | 'summary' | 'upgrade'>): ProgressHistory {
  const [history, setHistory] = useState<ProgressHistory>(EMPTY_HISTORY);
  const [lastSample, setLastSample] = useState(transfer);
  // A point per transfer sample, taken while rendering the batch that brought it (React's pattern for
  // state derived from a changed prop): the summary and upgrade it came with are the latest the page has.
  if (transfer !== lastSample) {
    setLastSample(transfer);
    if (transfer && summary && upgrade) setHistory((current) => addProgress(current, transfer, summary, upgrade));
  }
  return history;
}
