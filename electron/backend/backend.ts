// Assembles the back end over one database file: services, sessions and the API dispatcher.
// The same object serves the Electron IPC transport and the browser-mode loopback host.
import { AuditTrail } from './audit/auditTrail';
import { SessionStore } from './auth/sessions';
import { openDatabase, type Db } from './db/connection';
import { keyFromFile, type DbKey } from './db/encryption';
import { keyedOpener, openStudyDatabase, type StartupState } from './db/startup';
import type { KeyStorage } from '../../shared/api/calls/auth';
import { createDispatcher, type Dispatch, type Transport } from './api/dispatch';
import { ExportService } from './export/exportService';
import { FormService } from './services/formService';
import { QueryService } from './gcp/queryService';
import { AuditViewService } from './gcp/auditView';
import { UserAdminService } from './gcp/userAdminService';
import { LifecycleService } from './gcp/lifecycleService';
import { RandomisationService } from './gcp/randomisationService';
import { AllocationVault } from './gcp/allocationVault';
import { UnblindingService } from './gcp/unblindingService';
import { BackupService } from './gcp/backupService';
import { backupFolderOf, lastVerifiedBackup } from './gcp/backupVerify';
import { linkInfusionReactionsToAe } from './services/infusionReactionAe';
import { ensureDerivedCurrent } from './services/derivedValues';
import { SafetyService } from './services/safetyService';
import { PrintService } from './services/printService';
import { SubjectService } from './services/subjectService';
import { UserService } from './services/userService';

export interface Services {
  db: Db;
  audit: AuditTrail;
  users: UserService;
  subjects: SubjectService;
  forms: FormService;
  exports: ExportService;
  queries: QueryService;
  auditView: AuditViewService;
  userAdmin: UserAdminService;
  lifecycle: LifecycleService;
  randomisation: RandomisationService;
  unblinding: UnblindingService;
  backup: BackupService;
  safety: SafetyService;
  print: PrintService;
  sessions: SessionStore;
  transport: Transport;
  appVersion: string;
  keyStorage: KeyStorage;
  /** What the start-up checks found: normal, or open read-only (damaged / read-only medium) with the words why. */
  startup: StartupState;
}

export interface Backend {
  services: Services;
  startup: StartupState;
  dispatch: Dispatch;
  close(): void;
}

export interface BackendOptions {
  dbFile: string;
  /** The database key (the desktop app's, from safeStorage); without it the key file beside the database. */
  dbKey?: DbKey;
  /** Where the key is kept, for the administrator (a weak store is reported in app.info). */
  keyStorage?: KeyStorage;
  /** `npm run bench`'s plaintext "before" side only. */
  benchmarkPlaintextBaseline?: boolean;
  transport: Transport;
  appVersion?: string;
  now?: () => number;
  startup?: StartupState;
}

export function createServices(db: Db, options: Omit<BackendOptions, 'dbFile'>): Services {
  const audit = new AuditTrail(db);
  const forms = new FormService(db, audit);
  linkInfusionReactionsToAe(db, audit, forms);
  const queries = new QueryService(db, audit);
  queries.attach(forms);
  const users = new UserService(db, audit);
  const sessions = new SessionStore(options.now);
  users.onLocked((userId) => sessions.endForUser(userId));
  const lifecycle = new LifecycleService(db, audit, forms, users);
  lifecycle.attach(forms);
  const vault = new AllocationVault(db, audit);
  const randomisation = new RandomisationService(db, audit, forms, users, vault);
  return {
    db,
    audit,
    users,
    subjects: new SubjectService(db, audit),
    forms,
    exports: new ExportService(db, audit, options.appVersion ?? '0.0.0'),
    queries,
    auditView: new AuditViewService(db),
    userAdmin: new UserAdminService(db, audit, users, sessions, vault),
    lifecycle,
    randomisation,
    unblinding: new UnblindingService(db, audit, users, forms, randomisation),
    backup: new BackupService(db, audit),
    safety: new SafetyService(db),
    print: new PrintService(db),
    sessions,
    transport: options.transport,
    appVersion: options.appVersion ?? '0.0.0',
    keyStorage: options.keyStorage ?? 'key-file',
    startup: options.startup ?? { mode: 'normal' },
  };
}

/**
 * Opens the database through the start-up checks (db/startup.ts): a damaged database or one on a read-only medium is
 * served read-only, with the message every call but app.info answers. A normal start also recovers what an interrupted
 * export left (its work folder, a recorded bundle not yet moved onto the stick).
 */
export function createBackend(options: BackendOptions): Backend {
  const openForWork = (file: string) =>
    openDatabase(file, {
      ...(options.dbKey ? { key: options.dbKey } : {}),
      ...(options.benchmarkPlaintextBaseline ? { benchmarkPlaintextBaseline: true } : {}),
    });
  const { db, state } = openStudyDatabase(options.dbFile, {
    openForWork,
    opener: keyedOpener(options.dbKey),
    // Backups are encrypted with the study database's key.
    lastGoodBackup: (file, opened) => lastVerifiedBackup(backupFolderOf(file, opened), keyedOpener(options.dbKey ?? keyFromFile(file))),
  });
  // Derived values computed with other rules than these (a new rules version) are computed again before any work.
  if (state.mode === 'normal') ensureDerivedCurrent(db);
  const services = createServices(db, { ...options, startup: state });
  if (state.mode === 'normal') services.exports.recover();
  return {
    services,
    startup: state,
    dispatch: createDispatcher(services),
    close: () => db.close(),
  };
}
