import { type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { useAction } from '../lib/use-action.js';
import { ErrorText } from './data-state.js';

/**
 * A destructive action behind a dialog that names what will happen. The dialog is the native
 * <dialog>, so focus and Escape behave as the browser does. `children` are choices shown under the
 * message (a checkbox saying what else to undo).
 */
export function ConfirmButton({
  label,
  title,
  message,
  confirmLabel,
  onConfirm,
  children,
}: {
  label: string;
  title: string;
  message: string;
  confirmLabel: string;
  onConfirm: () => Promise<unknown>;
  children?: ReactNode;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [open, setOpen] = useState(false);
  const action = useAction(onConfirm);

  useEffect(() => {
    if (open) dialog.current?.showModal();
    else dialog.current?.close();
  }, [open]);

  const confirm = async () => {
    if (await action.run()) setOpen(false);
  };

  return (
    <>
      <button type="button" className="danger small" onClick={() => setOpen(true)}>
        {label}
      </button>
      <dialog ref={dialog} onClose={() => setOpen(false)} aria-labelledby={titleId}>
        <h3 id={titleId}>{title}</h3>
        <p>{message}</p>
        {children}
        <ErrorText message={action.error} />
        <div className="actions">
          <button type="button" className="secondary" onClick={() => setOpen(false)}>
            Cancel
          </button>
          <button type="button" className="danger" onClick={confirm} disabled={action.busy}>
            {action.busy ? 'Working…' : confirmLabel}
          </button>
        </div>
      </dialog>
    </>
  );
}
