/**
 * An AP's replies, each bound to the connection its request came on. socket.io reconnects the same
 * socket, and delivers a reply finished after the AP rejoined (a restarted controller) to the new
 * connection, where its packet id may be another request's: such a reply is dropped, as a real AP's
 * CAPWAP answers nothing of a session it left.
 */
export class ConnectionReplies {
  private link = 0;

  connected(): void {
    this.link += 1;
  }

  bind<T>(ack: (reply: T) => void): (reply: T) => void {
    const asked = this.link;
    return (reply: T) => {
      if (asked === this.link) ack(reply);
    };
  }

  /**
   * Answers with what `work` gives if the AP is still on the request's connection. A step that fails on the
   * AP's flash is answered as a failed step (`failure` words it), never left to crash the AP's process.
   */
  answer<T>(ack: (reply: T) => void, work: Promise<T>, failure: (message: string) => T): void {
    const reply = this.bind(ack);
    void work.then(reply, (error: unknown) => reply(failure(`AP storage error: ${(error as Error).message}`)));
  }
}
