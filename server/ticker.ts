/**
 * Runs `work` at once, every `everyMs`, and whenever `kick` is called — one run at a time, with at
 * most one more waiting behind it: ticks and kicks that come during a long run (an import, the
 * sweep) make one run after it, not one each.
 */
export function startTicker(
  work: () => Promise<void>,
  options: { everyMs: number; onError: (error: unknown) => void },
): { kick: () => void; stop: () => Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  let waiting = false;
  let stopped = false;
  const kick = () => {
    if (waiting || stopped) return;
    waiting = true;
    running = running
      .then(async () => {
        waiting = false;
        if (!stopped) await work();
      })
      .catch(options.onError);
  };
  kick();
  const timer = setInterval(kick, options.everyMs);
  timer.unref();
  return {
    kick,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
