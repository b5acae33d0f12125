'use client';

import { useCallback, useEffect, useState } from 'react';
import { catalogCheckResultSchema, type CatalogCheckResult } from '@/lib/firmwareCatalog';
import { requestJson } from '@/components/api/jsonRequest';

const CHECK_URL = '/api/software-upgrade/check';

export interface CatalogCheckApi {
  result: CatalogCheckResult | null;
  checking: boolean;
  /** The console itself did not answer (not a failed check: that is a result with its own message). */
  error: string | null;
  check: () => void;
}

/**
 * The last Check for New Version and a way to run one now. `fleetState` names what the fleet runs
 * (the upgrade and its stage): when it changes, the last check is read again, as the server works
 * its statuses out again for what runs then.
 */
export function useCatalogCheck(fleetState: string): CatalogCheckApi {
  const [result, setResult] = useState<CatalogCheckResult | null>(null);
  const [checking, setChecking] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    void requestJson('GET', CHECK_URL, catalogCheckResultSchema).then((answer) => {
      if (!current) return;
      if (answer.ok) setResult(answer.data);
      else setError(answer.error);
    });
    return () => {
      current = false;
    };
  }, [fleetState]);

  const check = useCallback(() => {
    setChecking(true);
    setError(null);
    void requestJson('POST', CHECK_URL, catalogCheckResultSchema, {}).then((answer) => {
      setChecking(false);
      if (answer.ok) setResult(answer.data);
      else setError(answer.error);
    });
  }, []);

  return { result, checking, error, check };
}
