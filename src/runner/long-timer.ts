/**
 * setTimeout for any delay. Node clamps a delay above 2^31-1 ms (24.8 days) to 1 ms, so `timeout: 600h`
 * would fire at once; longer delays are waited out in steps.
 */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface LongTimer {
  clear(): void;
}

export function setLongTimeout(callback: () => void, delayMs: number): LongTimer {
  let timer: NodeJS.Timeout | undefined;
  let cleared = false;
  const due = Date.now() + delayMs;
  const arm = (remaining: number) => {
    if (cleared) return;
    if (remaining > MAX_TIMER_MS) {
      timer = setTimeout(() => arm(due - Date.now()), MAX_TIMER_MS);
    } else {
      timer = setTimeout(callback, Math.max(0, remaining));
    }
  };
  arm(Number.isFinite(delayMs) ? delayMs : Number.MAX_SAFE_INTEGER);
  return {
    clear() {
      cleared = true;
      clearTimeout(timer);
    },
  };
}
