'use client';

import { useTranslations } from 'next-intl';
import { useEffect, useMemo, useState } from 'react';
import { AP_IMAGE_PAGE_SIZES, parseSort, type ApImagePageQuery, type ApImageSortKey } from '@/lib/apImageQuery';
import { AP_IMAGE_TYPES } from '@/lib/imageBundle';
import { PREDOWNLOAD_STATUSES, PREDOWNLOAD_STATUS_LABEL, type PredownloadStatus } from '@/lib/predownloadStatus';
import { Button } from '@/components/ui/Button';
import { Select, type SelectOption } from '@/components/ui/Select';
import { TextInput } from '@/components/ui/TextInput';

const ALL = 'all';
// Typing in the filter sends one query after a short pause, not one per key.
const FILTER_DELAY_MS = 250;

const SORT_KEYS = ['name', 'mac', 'model', 'imageType', 'predownloadStatus', 'primaryImage', 'backupImage', 'percent', 'retryCount'] as const satisfies readonly ApImageSortKey[];
const SORT_LABEL_KEY = {
  name: 'sortName',
  mac: 'sortMac',
  model: 'sortModel',
  imageType: 'sortImageType',
  predownloadStatus: 'sortPredownloadStatus',
  primaryImage: 'sortPrimaryImage',
  backupImage: 'sortBackupImage',
  percent: 'sortPercent',
  retryCount: 'sortRetryCount',
} as const;

/** The selects' options in the page's language; the status values stay IOS's words. */
function useOptions() {
  const t = useTranslations('apTableControls');
  return useMemo(
    () => ({
      status: [{ value: ALL, label: t('allStatuses') }, ...PREDOWNLOAD_STATUSES.map((status) => ({ value: status, label: PREDOWNLOAD_STATUS_LABEL[status] }))] as SelectOption<
        PredownloadStatus | typeof ALL
      >[],
      imageType: [{ value: ALL, label: t('allImageTypes') }, ...AP_IMAGE_TYPES.map((type) => ({ value: type, label: type }))] as SelectOption<string>[],
      sort: SORT_KEYS.map((value) => ({ value, label: t(SORT_LABEL_KEY[value]) })) as SelectOption<ApImageSortKey>[],
      direction: [
        { value: 'asc', label: t('ascending') },
        { value: 'desc', label: t('descending') },
      ] as SelectOption<'asc' | 'desc'>[],
      pageSize: AP_IMAGE_PAGE_SIZES.map((size) => ({ value: String(size), label: t('perPage', { size }) })) as SelectOption<string>[],
    }),
    [t],
  );
}

export interface ApImageTableControlsProps {
  query: ApImagePageQuery;
  total: number;
  onQuery: (query: ApImagePageQuery) => void;
}

/** Filter, sort and page the AP table; every change goes back to the first page but paging itself. */
export function ApImageTableControls({ query, total, onQuery }: ApImageTableControlsProps) {
  const t = useTranslations('apTableControls');
  const options = useOptions();
  const [text, setText] = useState(query.q ?? '');
  const { key, descending } = parseSort(query.sort);

  useEffect(() => {
    if (text === (query.q ?? '')) return;
    const timer = setTimeout(() => onQuery({ ...query, q: text || undefined, offset: 0 }), FILTER_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text, query, onQuery]);

  const first = total === 0 ? 0 : query.offset + 1;
  const last = Math.min(query.offset + query.limit, total);
  const pageCount = Math.max(1, Math.ceil(total / query.limit));
  const page = Math.floor(query.offset / query.limit) + 1;
  const goTo = (target: number) => onQuery({ ...query, offset: (Math.min(Math.max(target, 1), pageCount) - 1) * query.limit });

  return (
    <div className="table-controls" role="group" aria-label={t('group')}>
      <div className="table-filters">
        <TextInput aria-label={t('filterText')} placeholder={t('filterPlaceholder')} value={text} onValueChange={setText} className="table-filter-text" />
        <Select
          aria-label={t('filterImageType')}
          value={query.imageType ?? ALL}
          options={options.imageType}
          onValueChange={(value) => onQuery({ ...query, imageType: value === ALL ? undefined : value, offset: 0 })}
        />
        <Select
          aria-label={t('filterStatus')}
          value={query.status ?? ALL}
          options={options.status}
          onValueChange={(value) => onQuery({ ...query, status: value === ALL ? undefined : value, offset: 0 })}
        />
        <Select aria-label={t('sortBy')} value={key} options={options.sort} onValueChange={(value) => onQuery({ ...query, sort: descending ? `-${value}` : value, offset: 0 })} />
        <Select
          aria-label={t('sortDirection')}
          value={descending ? 'desc' : 'asc'}
          options={options.direction}
          onValueChange={(value) => onQuery({ ...query, sort: value === 'desc' ? `-${key}` : key, offset: 0 })}
        />
      </div>
      <div className="table-pager">
        <span data-testid="ap-table-range">{t('range', { first, last, total })}</span>
        <Select
          aria-label={t('rowsPerPage')}
          value={String(query.limit)}
          options={options.pageSize}
          onValueChange={(value) => onQuery({ ...query, limit: AP_IMAGE_PAGE_SIZES.find((size) => String(size) === value) ?? query.limit, offset: 0 })}
        />
        <Button className="btn-small" onClick={() => goTo(page - 1)} disabled={page <= 1}>
          {t('previousPage')}
        </Button>
        <span data-testid="ap-table-page">{t('page', { page, pageCount })}</span>
        <Button className="btn-small" onClick={() => goTo(page + 1)} disabled={page >= pageCount}>
          {t('nextPage')}
        </Button>
      </div>
    </div>
  );
}
