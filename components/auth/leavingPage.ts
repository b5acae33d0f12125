'use client';

/**
 * Set when this tab ends its own session. The server then drops the tab's live socket; without this
 * flag the socket's handlers would say the console is unreachable and send the tab to the login page
 * a second time, racing the logout's own navigation (the browser aborts one of the two).
 */
let leaving = false;

export function markLeaving(): void {
  leaving = true;
}

export function isLeaving(): boolean {
  return leaving;
}
