/** How the orchestrator tells the outside world that something changed; the browser hub implements it. */
export interface ConsoleNotifier {
  apChanged(mac: string): void;
  upgradeChanged(): void;
}
