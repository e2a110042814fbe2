// The back end as the command line opens it: for work, so a database the start-up checks could only open read-only
// (damaged, newer, on a read-only medium) is refused with the words why, before anything is attempted. (`ecrf serve`
// opens read-only databases too, to show why in the app; `ecrf audit verify` opens read-only by itself.)
import { createBackend, type Backend } from '../backend/backend';
import { AppError } from '../backend/errors';
import { APP_VERSION } from './version';

export function cliBackend(dbFile: string): Backend {
  const backend = createBackend({ dbFile, transport: 'browser', appVersion: APP_VERSION });
  if (backend.startup.mode === 'read-only') {
    const message = backend.startup.message;
    backend.close();
    throw new AppError('READ_ONLY', message);
  }
  return backend;
}
