import type { ApImageReport } from '../../../lib/apImage';

const COLUMNS = [
  ['AP Name', 34],
  ['AP Model', 22],
  ['Ethernet MAC', 16],
  ['Image Type', 12],
  ['Role', 10],
  ['State', 0],
] as const;

function row(cells: readonly string[]): string {
  return cells
    .map((cell, i) => (COLUMNS[i][1] === 0 ? cell : cell.length >= COLUMNS[i][1] ? `${cell} ` : cell.padEnd(COLUMNS[i][1])))
    .join('')
    .trimEnd();
}

/** `show ap summary`: the APs the controller knows, and whether each one is joined now. */
export function renderShowApSummary({ aps }: ApImageReport): string[] {
  return [
    `Number of APs: ${aps.length}`,
    '',
    row(COLUMNS.map(([title]) => title)),
    '-'.repeat(110),
    ...aps.map((ap) => row([ap.name, ap.model, ap.mac, ap.imageType, ap.role, ap.connected ? 'Registered' : 'Not Joined'])),
  ];
}
