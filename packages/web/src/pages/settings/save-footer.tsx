import { ErrorText } from '../../components/data-state.js';

/** The last row of a settings form: what went wrong, "Saved" once saved, and the submit button. */
export function SaveFooter(props: {
  save: { error: { message: string } | null; isPending: boolean; isSuccess: boolean };
  dirty: boolean;
  submitLabel: string;
}) {
  const { save, dirty } = props;
  return (
    <>
      <ErrorText message={save.error?.message} />
      <div className="actions">
        <span role="status" className="saved">
          {save.isSuccess && !dirty ? 'Saved' : ''}
        </span>
        <button type="submit" disabled={save.isPending || !dirty}>
          {save.isPending ? 'Saving…' : props.submitLabel}
        </button>
      </div>
    </>
  );
}
