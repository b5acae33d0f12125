/** Paces a simulated AP's link: bytes are acknowledged no faster than the link rate allows. */
export class LinkThrottle {
  private readyAt = 0;

  constructor(private readonly kbps: number) {}

  async pass(bytes: number): Promise<void> {
    if (this.kbps <= 0) return;
    const now = Date.now();
    const start = Math.max(now, this.readyAt);
    this.readyAt = start + (bytes * 8) / this.kbps;
    const wait = this.readyAt - now;
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
  }
}
