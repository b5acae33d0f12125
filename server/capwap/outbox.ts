import type { FromApPort } from './apPortProtocol';

/**
 * The AP port's messages to the console's side, in the order they happened, sent as one batch per
 * turn of the event loop: a burst of joins or acknowledgements costs the console one message, not one
 * per AP, and an AP's log line is never overtaken by the reply that followed it.
 */
export class Outbox {
  private queue: FromApPort[] = [];
  private scheduled = false;

  constructor(private readonly send: (batch: FromApPort[]) => void) {}

  post(message: FromApPort): void {
    this.queue.push(message);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  flush(): void {
    this.scheduled = false;
    if (this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    this.send(batch);
  }
}
