'use client';

import { useState } from 'react';
import type { DownloadExtras } from './useConsoleActions';

export interface PredownloadTargetsValues {
  siteTags: string;
  imageTypes: string;
  models: string;
  q: string;
  /** `datetime-local`, the browser's time zone; empty for now. */
  at: string;
}

const list = (text: string) =>
  text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

/** Which APs Save & Download goes to, and when: comma-separated lists, each narrowing the others. */
export function usePredownloadTargets() {
  const [values, setValues] = useState<PredownloadTargetsValues>({ siteTags: '', imageTypes: '', models: '', q: '', at: '' });
  const extras = (): DownloadExtras => {
    const targets = { siteTags: list(values.siteTags), imageTypes: list(values.imageTypes), models: list(values.models), q: values.q.trim() || undefined };
    const narrowed = targets.siteTags.length + targets.imageTypes.length + targets.models.length > 0 || targets.q !== undefined;
    return { ...(narrowed ? { targets } : {}), ...(values.at ? { at: new Date(values.at).toISOString() } : {}) };
  };
  return { values, set: (key: keyof PredownloadTargetsValues, value: string) => setValues((current) => ({ ...current, [key]: value })), extras };
}
