// Crash points for tests: with ECRF_FAULT=<name> in the environment the process kills itself with SIGKILL (as a power
// cut or the task manager would) when it reaches faultPoint(<name>); ECRF_FAULT=<name>:SIGTERM (or :SIGINT) sends that
// signal instead (as Ctrl+C or a shutdown would), so a test can prove what is cleaned up and what the next start
// recovers. Without the variable it does nothing.
export type FaultPoint = 'export.files-written' | 'export.packing' | 'export.recorded' | 'export.published';

export function faultPoint(name: FaultPoint): void {
  const [point, signal] = (process.env.ECRF_FAULT ?? '').split(':');
  if (point !== name) return;
  process.kill(process.pid, signal === 'SIGTERM' || signal === 'SIGINT' ? signal : 'SIGKILL');
}
