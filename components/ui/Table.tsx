import { memo, type ReactNode } from 'react';

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
  empty?: ReactNode;
}

interface RowProps<T> {
  row: T;
  columns: readonly TableColumn<T>[];
  rowAttributes?: (row: T) => TableRowAttributes;
}

function RowImpl<T>({ row, columns, rowAttributes }: RowProps<T>) {
  return (
    <tr {...rowAttributes?.(row)}>
      {columns.map((column) => (
        <td key={column.key} data-col={column.key} className={column.className}>
          {column.render(row)}
        </td>
      ))}
    </tr>
  );
}

// Rows keep their identity when unchanged, so a large fleet re-renders only the rows a batch touched.
const Row = memo(RowImpl) as typeof RowImpl;

export function Table<T>({ caption, columns, rows, rowKey, rowAttributes, empty }: TableProps<T>) {
  return (
    <div className="table-wrap">
      <table className="table">
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
                {empty ?? 'No entries'}
              </td>
            </tr>
          ) : (
            rows.map((row) => <Row key={rowKey(row)} row={row} columns={columns} rowAttributes={rowAttributes} />)
          )}
        </tbody>
      </table>
    </div>
  );
}
