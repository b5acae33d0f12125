import type { ApImageRow } from '../apImage';
import { PREDOWNLOAD_ACTIVE } from '../predownloadStatus';
import { violation, type Violation } from './violation';

type ResumeFields = Pick<ApImageRow, 'name' | 'predownloadStatus' | 'connected'>;

/** One image's figures of a row: the AP image's, or the controller image's. */
interface ImageFigures {
  image: 'AP image' | 'controller image';
  percent: number | null;
  etaSeconds: number | null;
  waitsToResume: boolean;
  lastAcknowledged: boolean;
}

function figuresOf(row: ApImageRow): ImageFigures[] {
  return [
    { image: 'AP image', percent: row.percent, etaSeconds: row.etaSeconds, waitsToResume: row.waitsToResume, lastAcknowledged: row.lastAcknowledged },
    { image: 'controller image', percent: row.controllerPercent, etaSeconds: row.controllerEtaSeconds, waitsToResume: row.controllerWaitsToResume, lastAcknowledged: row.controllerLastAcknowledged },
  ];
}

function checkImage(row: ResumeFields, figures: ImageFigures): string[] {
  const found: string[] = [];
  const { image } = figures;
  // The kept count stands for an AP the console has not heard from since its restart; once it rejoined, its own word replaces it.
  if (figures.lastAcknowledged && row.connected) found.push(`${row.name}: its ${image} shows the last acknowledged count (${figures.percent}%) though the AP is connected`);
  if (figures.lastAcknowledged && !figures.waitsToResume) found.push(`${row.name}: its ${image} shows the last acknowledged count (${figures.percent}%) as moving`);
  // A figure that stands still has no rate, so no ETA; and only an AP still owed an image waits to resume one.
  if (figures.waitsToResume && figures.etaSeconds !== null) found.push(`${row.name}: its ${image} waits to resume at ${figures.percent}% with an ETA of ${figures.etaSeconds} s`);
  if (figures.waitsToResume && !PREDOWNLOAD_ACTIVE.has(row.predownloadStatus)) found.push(`${row.name}: its ${image} waits to resume at ${figures.percent}% but the AP is ${row.predownloadStatus}`);
  return found;
}

/**
 * A figure that stands still is said as what it is: the last count an AP acknowledged before a restart or a takeover
 * only while the AP has not rejoined (then what it says it holds replaces it), never with an ETA or as moving, and
 * only of an AP still owed the image.
 */
export function resumeFiguresAreTrue(rows: readonly ApImageRow[]): Violation[] {
  return rows.flatMap((row) => figuresOf(row).flatMap((figures) => checkImage(row, figures).map((message) => violation('resumeFigures', message))));
}
