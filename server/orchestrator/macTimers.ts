/** One pending timer per AP (its retry, its rejoin deadline): setting one replaces the AP's last, and a timer that fires is forgotten first. */
export class MacTimers {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  set(mac: string, delayMs: number, fire: (mac: string) => void): void {
    this.clear(mac);
    this.timers.set(
      mac,
      setTimeout(() => {
        this.timers.delete(mac);
        fire(mac);
      }, delayMs),
    );
  }

  has(mac: string): boolean {
    return this.timers.has(mac);
  }

  /** Calls off the AP's timer; whether there was one. */
  clear(mac: string): boolean {
    const timer = this.timers.get(mac);
    if (!timer) return false;
    clearTimeout(timer);
    this.timers.delete(mac);
    return true;
  }

  macs(): string[] {
    return [...this.timers.keys()];
  }

  clearAll(): void {
    for (const mac of this.macs()) this.clear(mac);
  }
}
