/**
 * How long a graceful stop may take before the process exits anyway. The stop itself writes the last
 * store tick at once and waits NOTICE_FLUSH_MS (200 ms) for the notices; the rest is closing sockets.
 */
export const STOP_DEADLINE_MS = 5000;

/**
 * SIGTERM and SIGINT stop the console gracefully (see createConsole's close): no new work, the last
 * store tick written, pages and APs told why. The process exits when that is done, or at the deadline.
 * Nothing about the running upgrade changes: the next start resumes it exactly as after a crash.
 *
 * The listeners stay installed for the life of the process: a repeated signal (Ctrl-C reaches the console
 * from the terminal and again from `npm start`) is ignored while the stop runs. With a one-shot listener,
 * a repeat would kill the process mid-stop, and so would the signal-exit listener that Next.js's telemetry
 * store installs once a page has been served: it re-sends the signal when it sees no other listener.
 */
export function installGracefulStop(stop: (reason: string) => Promise<void>): () => void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    const deadline = setTimeout(() => {
      console.error(`Stop: not done after ${STOP_DEADLINE_MS / 1000} s, exiting anyway`);
      process.exit(1);
    }, STOP_DEADLINE_MS);
    deadline.unref();
    stop(`controller stopped by ${signal}`).then(
      () => process.exit(0),
      (error: Error) => {
        console.error(`Stop: ${error.message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  // For a stop that holds only for a while (a standby's, until it leads and its console has a stop of its own).
  return () => {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  };
}
