// Node preload for e2e only: shifts Date in the `ecrf serve` process by the offset written to ECRF_E2E_CLOCK_FILE, so the
// journey test can live through six months of visit days (the back end refuses dates after its own today).
import { readFileSync } from 'node:fs';

const file = process.env.ECRF_E2E_CLOCK_FILE;
if (file) {
  const RealDate = Date;
  const realNow = () => RealDate.now();
  let offsetMs = 0;
  let readAt = -Infinity;
  const now = () => {
    const real = realNow();
    if (real - readAt > 50) {
      readAt = real;
      try {
        offsetMs = Number(JSON.parse(readFileSync(file, 'utf8')).offsetMs) || 0;
      } catch {
        // keep the last offset while the file is being rewritten
      }
    }
    return real + offsetMs;
  };
  class ShiftedDate extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(now());
      else super(...args);
    }
    static now() {
      return now();
    }
  }
  globalThis.Date = ShiftedDate;
}
