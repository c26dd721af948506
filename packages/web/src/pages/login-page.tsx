import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { logIn } from '../api/session.js';
import { nextFrom } from '../app.js';
import { Link, navigate, useLocation } from '../router.js';
import { AuthFrame } from './auth-form.js';

export function LoginPage() {
  const queryClient = useQueryClient();
  const { search } = useLocation();
  // An invitation link for someone who already has an account: sign in, then join.
  const inviteToken = new URLSearchParams(search).get('invite') ?? undefined;
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  document.title = 'Log in · Switchyard';

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      await logIn(queryClient, {
        email: String(form.get('email')),
        password: String(form.get('password')),
        inviteToken,
      });
      navigate(inviteToken ? '/overview' : nextFrom(search), { replace: true });
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
      setBusy(false);
    }
  };

  return (
    <AuthFrame title={inviteToken ? 'Log in to accept your invitation' : 'Log in'}>
      <form onSubmit={submit} className="stack">
        <label>
          Email
          <input name="email" type="email" autoComplete="email" required />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        {error && (
          <p className="error-text" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? 'Logging in…' : 'Log in'}
        </button>
      </form>
      <p className="muted">
        New here? <Link to={`/signup${search}`}>Create an account</Link>
      </p>
      <p className="muted small">On a first start, the server prints the admin login in its log.</p>
    </AuthFrame>
  );
}
