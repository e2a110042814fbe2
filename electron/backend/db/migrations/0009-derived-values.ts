// Schema (issue 14, cross-form rule 13): derived values are data. One row per form instance and derived value
// (FormDef.derived id), its value JSON-encoded (a number, or the code of a categorical value) and the rules version it
// was computed with; a value that cannot be computed is no row. Filled here for every saved form (services/
// derivedValues.ts), then rewritten with every save; not audited row by row (a function of audited data + rules).
import type { Migration } from './index';
import { refreshAllDerived } from '../../services/derivedValues';

export const migration0009DerivedValues: Migration = {
  name: '0009-derived-values',
  up(db) {
    db.exec(`
      CREATE TABLE derived_values (
        form_id INTEGER NOT NULL REFERENCES form_instances(id),
        derived_id TEXT NOT NULL,
        value TEXT NOT NULL,
        rules_version TEXT NOT NULL,
        PRIMARY KEY (form_id, derived_id)
      ) WITHOUT ROWID;
    `);
    refreshAllDerived(db);
  },
};
