/** Tasks run one after the other, in the order they were given, whatever each one awaits; a failed task does not stop the next. */
export class InOrder {
  private last: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const running = this.last.then(task, task);
    this.last = running.catch(() => undefined);
    return running;
  }
}
