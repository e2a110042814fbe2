// Long checks (audit verify of a backup: millions of rows) written once as generators that yield now and then: run to
// the end at once (the command line), or with the event loop let through at each yield (the app, where a backup is
// checked while the ward keeps working). The connection a check reads must not be used by anything else meanwhile.
export function runSteps<T>(steps: Generator<void, T>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

export async function runStepsAsync<T>(steps: Generator<void, T>): Promise<T> {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
