export function sameUser(a: string, b: string): boolean {
  // The account service compares names without case, so "Admin" is the signed-in "admin".
  return a.toLowerCase() === b.toLowerCase();
}
