/**
 * Enrolments in line: at most `concurrency` at once, each started in a turn of the event loop of its own.
 * Why: the worker hands enrolments over in batches (one message per turn of its loop), and each enrolment's
 * first steps (parsing the CSR, importing its key to verify the signature) are synchronous, a few
 * milliseconds each. Started all at once, a batch of a hundred held the console's event loop for half a
 * second while a fleet came up, pages and the API waiting behind it. The work is the same either way; this
 * only lets the loop answer between enrolments.
 */
export class EnrolmentLine {
  private readonly waiting: Array<() => Promise<void>> = [];
  private head = 0;
  private running = 0;

  constructor(private readonly concurrency: number) {}

  /** Queues one enrolment; it starts in a later turn of the event loop, never within this call. */
  push(job: () => Promise<void>): void {
    this.waiting.push(job);
    this.startNext();
  }

  /** How many wait for their turn (not counting the ones running). */
  get queued(): number {
    return this.waiting.length - this.head;
  }

  private startNext(): void {
    if (this.running >= this.concurrency || this.head >= this.waiting.length) return;
    const job = this.waiting[this.head];
    this.head += 1;
    // Drop what was consumed once it is most of the array, so a fleet's worth of enrolments is not kept.
    if (this.head > 1024 && this.head * 2 > this.waiting.length) {
      this.waiting.splice(0, this.head);
      this.head = 0;
    }
    this.running += 1;
    setImmediate(() => {
      void job()
        // The job answers its own failures; this only keeps a bug from becoming an unhandled rejection.
        .catch((error: Error) => console.error(`Enrolment ended with an unexpected error: ${error.message}`))
        .finally(() => {
          this.running -= 1;
          this.startNext();
        });
    });
  }
}
