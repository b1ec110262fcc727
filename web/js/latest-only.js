// Run an async task so that at most one call is in flight; calls made while it
// runs collapse into one follow-up call with the newest arguments. cancel()
// drops the follow-up and makes the result of the call in flight be ignored.

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
        if (mine === generation) onResult(result, ...args);
      } catch (error) {
        if (mine === generation) onError(error, ...args);
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
    get busy() {
      return running;
    },
  };
}
