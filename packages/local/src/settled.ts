/**
 * Wakes whoever waits for the next time some work ends (an invocation, an execution, an S3 event's routing), so that
 * `waitForIdle()` re-checks then rather than polling.
 */
export class SettledSignal {
  private waiting: (() => void)[] = [];

  /** Resolves the next time {@link notify} is called. */
  next(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
    });
  }

  notify(): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (const resolve of waiting) resolve();
  }
}
