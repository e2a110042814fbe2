// Schema 5: the allocation vault. The list's allocations and blocks leave randomisation_list (which keeps only the
// numbers the ward needs) for one encrypted payload, with a key per holder wrapped under that holder's own password
// (the pharmacists; the investigators granted emergency unblinding) and a recovery copy for the sponsor's OpenPGP key.
// A list from before this schema moves to legacy_allocations until the first pharmacist opens it (then it is sealed
// and the plaintext dropped).
import type { Migration } from './index';

export const migration0005AllocationVault: Migration = {
  name: '0005-allocation-vault',
  up(db) {
    db.exec(`
      CREATE TABLE legacy_allocations (
        rand_no TEXT PRIMARY KEY,
        block_no INTEGER NOT NULL,
        allocation TEXT NOT NULL
      ) WITHOUT ROWID;
      INSERT INTO legacy_allocations (rand_no, block_no, allocation) SELECT rand_no, block_no, allocation FROM randomisation_list;

      CREATE TABLE randomisation_numbers (
        rand_no TEXT PRIMARY KEY,
        kit_no TEXT NOT NULL UNIQUE,
        subject_id INTEGER UNIQUE REFERENCES subjects(id),
        assigned_at TEXT
      ) WITHOUT ROWID;
      INSERT INTO randomisation_numbers (rand_no, kit_no, subject_id, assigned_at) SELECT rand_no, kit_no, subject_id, assigned_at FROM randomisation_list;
      DROP TABLE randomisation_list;
      ALTER TABLE randomisation_numbers RENAME TO randomisation_list;

      CREATE TABLE allocation_vault (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        payload BLOB NOT NULL,
        commitment TEXT NOT NULL,
        recovery_armored TEXT,
        recovery_fingerprint TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );

      CREATE TABLE allocation_access (
        user_id INTEGER PRIMARY KEY REFERENCES users(id),
        purpose TEXT NOT NULL CHECK (purpose IN ('pharmacist', 'emergency')),
        salt BLOB NOT NULL,
        wrapped_key BLOB NOT NULL,
        granted_by TEXT NOT NULL,
        granted_at TEXT NOT NULL
      );
    `);
  },
};
