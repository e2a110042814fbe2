// The one dialog shell: a dimmed backdrop, a labelled modal dialog with its title, Escape to close, and an optional
// button beside the title (e.g. "关闭" on the audit trail and query thread).
import type { ReactNode } from 'react';

export function ModalDialog(props: {
  /** Names the title element (aria-labelledby) and, unless testId is given, the dialog's data-testid. */
  id: string;
  title: ReactNode;
  onEscape(): void;
  children: ReactNode;
  testId?: string;
  /** Extra classes beside "modal" (e.g. "modal-wide"). */
  className?: string;
  role?: 'dialog' | 'alertdialog';
  /** Shown at the right of the title. */
  headAction?: ReactNode;
}) {
  const titleId = `${props.id}-title`;
  const title = <h2 id={titleId}>{props.title}</h2>;
  return (
    <div className="modal-backdrop" role="presentation" onKeyDown={(e) => e.key === 'Escape' && props.onEscape()}>
      <div
        className={props.className ? `modal ${props.className}` : 'modal'}
        role={props.role ?? 'dialog'}
        aria-modal="true"
        aria-labelledby={titleId}
        data-testid={props.testId ?? props.id}
      >
        {props.headAction ? (
          <div className="modal-head">
            {title}
            {props.headAction}
          </div>
        ) : (
          title
        )}
        {props.children}
      </div>
    </div>
  );
}
