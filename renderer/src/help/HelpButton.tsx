// The "?" beside a screen's title: that screen's short note (shared/help/helpTopics.ts), with the other topics one
// click away. The nurse's quick guide (PDF) is printed from the same notes.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { HELP, HELP_TOPICS, type HelpTopic } from '../../../shared/help/helpTopics';
import { ModalDialog } from '../components/ModalDialog';
import { pick } from '../i18n';

export function HelpButton({ topic }: { topic: HelpTopic }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<HelpTopic | null>(null);
  const note = open ? HELP[open] : null;
  return (
    <>
      <button type="button" className="btn btn-small help-button" onClick={() => setOpen(topic)} aria-label={t('ward.help.button')} title={t('ward.help.button')} data-testid={`help-${topic}`}>
        ?
      </button>
      {open && note && (
        <ModalDialog
          id="help"
          className="modal-wide"
          title={t('ward.help.title', { topic: pick(note.title) })}
          onEscape={() => setOpen(null)}
          headAction={
            <button type="button" className="btn btn-small" onClick={() => setOpen(null)}>
              {t('ward.help.close')}
            </button>
          }
        >
          <p>{pick(note.summary)}</p>
          <ul className="help-points">
            {note.points.map((p) => (
              <li key={p.en}>{pick(p)}</li>
            ))}
          </ul>
          <nav className="help-topics" aria-label={t('ward.help.all')}>
            <span className="muted small">{t('ward.help.all')}：</span>
            {HELP_TOPICS.map((k) => (
              <button key={k} type="button" className={`link-button small${k === open ? ' help-current' : ''}`} onClick={() => setOpen(k)}>
                {pick(HELP[k].title)}
              </button>
            ))}
          </nav>
          <p className="muted small">{t('ward.help.guide')}</p>
        </ModalDialog>
      )}
    </>
  );
}
