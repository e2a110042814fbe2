// Assembles the back end over one database file: services, sessions and the API dispatcher.
// The same object serves the Electron IPC transport and the browser-mode loopback host.
import { AuditTrail } from './audit/auditTrail';
import { SessionStore } from './auth/sessions';
import { openDatabase, type Db } from './db/connection';
import { createDispatcher, type Dispatch, type Transport } from './api/dispatch';
import { ExportService } from './export/exportService';
import { FormService } from './services/formService';
import { QueryService } from './gcp/queryService';
import { AuditViewService } from './gcp/auditView';
import { UserAdminService } from './gcp/userAdminService';
import { LifecycleService } from './gcp/lifecycleService';
import { RandomisationService } from './gcp/randomisationService';
import { UnblindingService } from './gcp/unblindingService';
import { BackupService } from './gcp/backupService';
import { linkInfusionReactionsToAe } from './services/infusionReactionAe';
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
}

export interface Backend {
  services: Services;
  dispatch: Dispatch;
  close(): void;
}

export interface BackendOptions {
  dbFile: string;
  transport: Transport;
  appVersion?: string;
  now?: () => number;
}

export function createServices(db: Db, options: Omit<BackendOptions, 'dbFile'>): Services {
  const audit = new AuditTrail(db);
  const forms = new FormService(db, audit);
  linkInfusionReactionsToAe(db, audit, forms);
  const queries = new QueryService(db, audit);
  queries.attach(forms);
  const users = new UserService(db, audit);
  const sessions = new SessionStore(options.now);
  const lifecycle = new LifecycleService(db, audit, forms, users);
  lifecycle.attach(forms);
  const randomisation = new RandomisationService(db, audit, forms);
  return {
    db,
    audit,
    users,
    subjects: new SubjectService(db, audit),
    forms,
    exports: new ExportService(db, audit, options.appVersion ?? '0.0.0'),
    queries,
    auditView: new AuditViewService(db),
    userAdmin: new UserAdminService(db, audit, users, sessions),
    lifecycle,
    randomisation,
    unblinding: new UnblindingService(db, audit, users, forms, randomisation),
    backup: new BackupService(db, audit),
    safety: new SafetyService(db),
    print: new PrintService(db),
    sessions,
    transport: options.transport,
    appVersion: options.appVersion ?? '0.0.0',
  };
}

export function createBackend(options: BackendOptions): Backend {
  const db = openDatabase(options.dbFile);
  const services = createServices(db, options);
  return {
    services,
    dispatch: createDispatcher(services),
    close: () => db.close(),
  };
}
