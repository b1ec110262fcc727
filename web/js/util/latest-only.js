// Run an async task so that at most one call is in flight; calls made while it
// runs collapse into one follow-up call with the newest arguments. A result is
// reported only if no newer call is waiting (so the display never shows an
// older answer just before the newest one). cancel() drops the follow-up and
// makes the result of the call in flight be ignored.

export function latestOnly(task, { onResult = () => {}, onError = () => {} } = {}) {
  let running = false;
  let queued = null;
  let generation = 0;

  async function pump() {
    while (queued) {
      const args = queued;
      queued = null;
      running = true;
      const mine = generation;
      try {
        const result = await task(...args);
        if (mine === generation && !queued) onResult(result, ...args);
      } catch (error) {
        if (mine === generation && !queued) onError(error, ...args);
      } finally {
        running = false;
      }
    }
  }

  return {
    run(...args) {
      queued = args;
      if (!running) pump();
    },
    cancel() {
      queued = null;
      generation += 1;
    },
  };
}
