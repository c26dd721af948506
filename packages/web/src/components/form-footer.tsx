import { ErrorText } from './data-state.js';

/** The last row of a create-or-edit form: what went wrong, Cancel, and the submit button (busy while saving). */
export function FormFooter(props: {
  error: { message: string } | null | undefined;
  saving: boolean;
  submitLabel: string;
  onCancel: () => void;
}) {
  return (
    <>
      <ErrorText message={props.error?.message} />
      <div className="actions">
        <button type="button" className="secondary" onClick={props.onCancel}>
          Cancel
        </button>
        <button type="submit" disabled={props.saving}>
          {props.saving ? 'Saving…' : props.submitLabel}
        </button>
      </div>
    </>
  );
}
