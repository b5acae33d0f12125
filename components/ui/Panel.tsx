import type { ReactNode } from 'react';

export interface PanelProps {
  id: string;
  title: string;
  /** Shown at the right of the heading, e.g. a status or a count. */
  aside?: ReactNode;
  children: ReactNode;
}

export function Panel({ id, title, aside, children }: PanelProps) {
  const headingId = `${id}-heading`;
  return (
    <section className="panel" aria-labelledby={headingId}>
      <header className="panel-header">
        <h2 id={headingId} className="panel-title">
          {title}
        </h2>
        {aside && <div className="panel-aside">{aside}</div>}
      </header>
      <div className="panel-body">{children}</div>
    </section>
  );
}
