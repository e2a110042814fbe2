// Crash points for tests: with ECRF_FAULT=<name> in the environment the process kills itself (SIGKILL, as a power
// cut or the task manager would) when it reaches faultPoint(<name>), so a test can prove what the next start recovers.
// Without the variable it does nothing.
export type FaultPoint = 'export.files-written' | 'export.recorded' | 'export.published';

export function faultPoint(name: FaultPoint): void {
  if (process.env.ECRF_FAULT === name) process.kill(process.pid, 'SIGKILL');
}
