/** Joins the class names that are set; keeps conditional classes readable in JSX. */
export function cx(...names: Array<string | false | null | undefined>): string {
  return names.filter(Boolean).join(' ');
}
