// After a save met someone else's newer version: each item this user changed, the value just saved beside what they
// typed (kept as a draft, nothing lost), with the choice to put their changes over it or to drop them. Items only the
// other user changed are not touched either way.
import { useTranslation } from 'react-i18next';
import type { FieldDef } from '../../../shared/protocol/types';
import { pick } from '../i18n';
import type { RawValues } from './FieldInput';

const shown = (v: RawValues[string]) => (Array.isArray(v) ? v.join('、') : (v ?? ''));

export function ConflictPanel(props: { fields: readonly FieldDef[]; saved: RawValues; mine: RawValues; version: number; onUseMine(): void; onKeepSaved(): void }) {
  const { t } = useTranslation();
  // props.mine holds only the items this user changed.
  const differing = props.fields.filter((f) => f.id in props.mine);
  return (
    <div className="banner banner-warn conflict-panel" role="alert" data-testid="conflict">
      <strong>{t('ward.conflict.title', { version: props.version })}</strong>
      <p className="small">{t('ward.conflict.body')}</p>
      <table className="clin-table conflict-table">
        <thead>
          <tr>
            <th>{t('ward.conflict.item')}</th>
            <th>{t('ward.conflict.saved')}</th>
            <th>{t('ward.conflict.mine')}</th>
          </tr>
        </thead>
        <tbody>
          {differing.map((f) => (
            <tr key={f.id} data-testid={`conflict-${f.id}`}>
              <td>{pick(f.label)}</td>
              <td>{shown(props.saved[f.id]) || '—'}</td>
              <td>
                <strong>{shown(props.mine[f.id]) || '—'}</strong>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="actions">
        <button type="button" className="btn btn-small btn-primary" onClick={props.onUseMine} data-testid="conflict-use-mine">
          {t('ward.conflict.useMine')}
        </button>
        <button type="button" className="btn btn-small" onClick={props.onKeepSaved} data-testid="conflict-keep-saved">
          {t('ward.conflict.keepSaved')}
        </button>
      </div>
    </div>
  );
}
