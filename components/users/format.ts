function pad2(value: number): string {
  return String(value).padStart(2, '0');
}

/** `YYYY-MM-DD hh:mm:ss` in the browser's time zone: the engineer reads the trail against their own clock. */
export function formatLocalTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const day = `${date.getFullYear()}-${pad2(date.getMonth() + 1)}-${pad2(date.getDate())}`;
  return `${day} ${pad2(date.getHours())}:${pad2(date.getMinutes())}:${pad2(date.getSeconds())}`;
}

export function sameUser(a: string, b: string): boolean {
  // The account service compares names without case, so "Admin" is the signed-in "admin".
  return a.toLowerCase() === b.toLowerCase();
}
