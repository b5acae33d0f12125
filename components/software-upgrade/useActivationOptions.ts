'use client';

import { useState } from 'react';
import type { ActivateRequest, RolloutStrategy } from '@/lib/rollout';

/** How big a wave is: one of the EWC's percentages, or a number of APs. */
export type WaveSizeChoice = '5' | '15' | '25' | 'count';

export interface ActivationOptionsValues {
  strategy: RolloutStrategy;
  waveSize: WaveSizeChoice;
  waveCount: string;
  errorThresholdPercent: string;
  /** `datetime-local` values, in the browser's time zone; empty for now / no window. */
  at: string;
  windowEnd: string;
}

export interface ActivationOptionsApi {
  values: ActivationOptionsValues;
  set: <K extends keyof ActivationOptionsValues>(key: K, value: ActivationOptionsValues[K]) => void;
  /** The activate request body (the server validates it; its field messages show in the banner). */
  body: () => Partial<ActivateRequest>;
  scheduled: boolean;
}

const toIso = (local: string) => (local ? new Date(local).toISOString() : undefined);

export function useActivationOptions(): ActivationOptionsApi {
  const [values, setValues] = useState<ActivationOptionsValues>({ strategy: 'all', waveSize: '25', waveCount: '10', errorThresholdPercent: '0', at: '', windowEnd: '' });
  return {
    values,
    set: (key, value) => setValues((current) => ({ ...current, [key]: value })),
    scheduled: values.at !== '',
    body: () => {
      const rolling = values.strategy === 'rolling';
      const size = values.waveSize === 'count' ? { waveSize: Number(values.waveCount) } : { wavePercent: Number(values.waveSize) as 5 | 15 | 25 };
      return {
        strategy: values.strategy,
        ...(rolling ? { ...size, errorThresholdPercent: Number(values.errorThresholdPercent) } : {}),
        at: toIso(values.at),
        windowEnd: toIso(values.windowEnd),
      };
    },
  };
}
