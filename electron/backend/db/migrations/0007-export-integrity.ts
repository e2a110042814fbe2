// Schema 4: each export row records the audit head it covered (hash of the row at its watermark and how many rows the
// trail held up to it), so `ecrf audit verify` can check the trail against it; the SHA-256 of its manifest (the next
// bundle names it: the sponsor's link between bundles); and when the bundle was published (moved
// into place on the stick), which happens only after the row is committed: a bundle recorded but not yet published
// (a crash in between) is published or voided at the next start, from the hidden .partial file it names.
import type { Migration } from './index';

export const migration0007ExportIntegrity: Migration = {
  name: '0007-export-integrity',
  up(db) {
    db.exec(`
      ALTER TABLE export_bundles ADD COLUMN audit_head_hash TEXT;
      ALTER TABLE export_bundles ADD COLUMN audit_trail_rows INTEGER;
      ALTER TABLE export_bundles ADD COLUMN published_at TEXT;
      ALTER TABLE export_bundles ADD COLUMN partial_path TEXT;
      ALTER TABLE export_bundles ADD COLUMN manifest_sha256 TEXT;
      -- Bundles written before this schema were published when recorded; their head is the trail's as it is now.
      UPDATE export_bundles SET published_at = created_at,
        audit_head_hash = COALESCE((SELECT hash FROM audit_log WHERE seq = export_bundles.audit_watermark), '${'0'.repeat(64)}'),
        audit_trail_rows = (SELECT COUNT(*) FROM audit_log WHERE seq <= export_bundles.audit_watermark);
    `);
  },
};
