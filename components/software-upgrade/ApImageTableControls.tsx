'use client';

import { useEffect, useState } from 'react';
import { AP_IMAGE_PAGE_SIZES, parseSort, type ApImagePageQuery, type ApImageSortKey } from '@/lib/apImageQuery';
import { AP_IMAGE_TYPES } from '@/lib/imageBundle';
import { PREDOWNLOAD_STATUSES, PREDOWNLOAD_STATUS_LABEL, type PredownloadStatus } from '@/lib/predownloadStatus';
import { Button } from '@/components/ui/Button';
import { Select, type SelectOption } from '@/components/ui/Select';
import { TextInput } from '@/components/ui/TextInput';

const ALL = 'all';
// Typing in the filter sends one query after a short pause, not one per key.
const FILTER_DELAY_MS = 250;

const STATUS_OPTIONS: SelectOption<PredownloadStatus | typeof ALL>[] = [
  { value: ALL, label: 'All statuses' },
  ...PREDOWNLOAD_STATUSES.map((status) => ({ value: status, label: PREDOWNLOAD_STATUS_LABEL[status] })),
];
const IMAGE_TYPE_OPTIONS: SelectOption<string>[] = [{ value: ALL, label: 'All image types' }, ...AP_IMAGE_TYPES.map((type) => ({ value: type, label: type }))];
const SORT_OPTIONS: SelectOption<ApImageSortKey>[] = [
  { value: 'name', label: 'AP Name' },
  { value: 'mac', label: 'MAC' },
  { value: 'model', label: 'Model' },
  { value: 'imageType', label: 'AP Image Type' },
  { value: 'predownloadStatus', label: 'Predownload Status' },
  { value: 'primaryImage', label: 'Primary Image' },
  { value: 'backupImage', label: 'Backup Image' },
  { value: 'percent', label: 'Percent Complete' },
  { value: 'retryCount', label: 'Retry Count' },
];
const DIRECTION_OPTIONS: SelectOption<'asc' | 'desc'>[] = [
  { value: 'asc', label: 'Ascending' },
  { value: 'desc', label: 'Descending' },
];
const PAGE_SIZE_OPTIONS: SelectOption<string>[] = AP_IMAGE_PAGE_SIZES.map((size) => ({ value: String(size), label: `${size} per page` }));

export interface ApImageTableControlsProps {
  query: ApImagePageQuery;
  total: number;
  onQuery: (query: ApImagePageQuery) => void;
}

/** Filter, sort and page the AP table; every change goes back to the first page but paging itself. */
export function ApImageTableControls({ query, total, onQuery }: ApImageTableControlsProps) {
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
    <div className="table-controls" role="group" aria-label="AP table view">
      <div className="table-filters">
        <TextInput aria-label="Filter by AP name or MAC" placeholder="AP name or MAC" value={text} onValueChange={setText} className="table-filter-text" />
        <Select
          aria-label="Filter by image type"
          value={query.imageType ?? ALL}
          options={IMAGE_TYPE_OPTIONS}
          onValueChange={(value) => onQuery({ ...query, imageType: value === ALL ? undefined : value, offset: 0 })}
        />
        <Select
          aria-label="Filter by predownload status"
          value={query.status ?? ALL}
          options={STATUS_OPTIONS}
          onValueChange={(value) => onQuery({ ...query, status: value === ALL ? undefined : value, offset: 0 })}
        />
        <Select aria-label="Sort by" value={key} options={SORT_OPTIONS} onValueChange={(value) => onQuery({ ...query, sort: descending ? `-${value}` : value, offset: 0 })} />
        <Select
          aria-label="Sort direction"
          value={descending ? 'desc' : 'asc'}
          options={DIRECTION_OPTIONS}
          onValueChange={(value) => onQuery({ ...query, sort: value === 'desc' ? `-${key}` : key, offset: 0 })}
        />
      </div>
      <div className="table-pager">
        <span data-testid="ap-table-range">
          {first}–{last} of {total}
        </span>
        <Select
          aria-label="Rows per page"
          value={String(query.limit)}
          options={PAGE_SIZE_OPTIONS}
          onValueChange={(value) => onQuery({ ...query, limit: AP_IMAGE_PAGE_SIZES.find((size) => String(size) === value) ?? query.limit, offset: 0 })}
        />
        <Button className="btn-small" onClick={() => goTo(page - 1)} disabled={page <= 1}>
          Previous page
        </Button>
        <span data-testid="ap-table-page">
          Page {page} of {pageCount}
        </span>
        <Button className="btn-small" onClick={() => goTo(page + 1)} disabled={page >= pageCount}>
          Next page
        </Button>
      </div>
    </div>
  );
}
