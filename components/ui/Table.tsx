import { useTranslations } from 'next-intl';
import { memo, type ReactNode } from 'react';
import { cx } from './cx';

export interface TableColumn<T> {
  /** Also written as `data-col` on every cell, so a column can be found by its data key. */
  key: string;
  header: ReactNode;
  render: (row: T) => ReactNode;
  className?: string;
}

export type TableRowAttributes = { className?: string; title?: string } & { [attribute: `data-${string}`]: string | undefined };

export interface TableProps<T> {
  caption?: string;
  columns: readonly TableColumn<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string;
  rowAttributes?: (row: T) => TableRowAttributes;
  /** A line under the row across the whole table (an error), or null: it costs one line, not a tall cell. */
  rowDetail?: (row: T) => ReactNode;
  empty?: ReactNode;
  /** Extra class of the table element, for a table with its own density. */
  className?: string;
}

interface RowProps<T> {
  row: T;
  columns: readonly TableColumn<T>[];
  rowAttributes?: (row: T) => TableRowAttributes;
  rowDetail?: (row: T) => ReactNode;
}

function RowImpl<T>({ row, columns, rowAttributes, rowDetail }: RowProps<T>) {
  const detail = rowDetail?.(row) ?? null;
  const attributes = rowAttributes?.(row);
  return (
    <>
      <tr {...attributes} className={cx(attributes?.className, detail !== null && 'table-row-with-detail')}>
        {columns.map((column) => (
          <td key={column.key} data-col={column.key} className={column.className}>
            {column.render(row)}
          </td>
        ))}
      </tr>
      {detail !== null && (
        <tr className="table-row-detail">
          <td colSpan={columns.length}>{detail}</td>
        </tr>
      )}
    </>
  );
}

// Rows keep their identity when unchanged, so a large fleet re-renders only the rows a batch touched.
const Row = memo(RowImpl) as typeof RowImpl;

export function Table<T>({ caption, columns, rows, rowKey, rowAttributes, rowDetail, empty, className }: TableProps<T>) {
  const t = useTranslations('common');
  return (
    <div className="table-wrap">
      <table className={cx('table', className)}>
        {caption && <caption className="visually-hidden">{caption}</caption>}
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column.key} scope="col" className={column.className}>
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td className="table-empty" colSpan={columns.length}>
                {empty ?? t('noEntries')}
              </td>
            </tr>
          ) : (
            rows.map((row) => <Row key={rowKey(row)} row={row} columns={columns} rowAttributes={rowAttributes} rowDetail={rowDetail} />)
          )}
        </tbody>
      </table>
    </div>
  );
}
