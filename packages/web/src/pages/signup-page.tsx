import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { signUp } from '../api/session.js';
import { Link, navigate, useLocation } from '../router.js';
import { AuthFrame } from './auth-form.js';

export function SignupPage() {
  const queryClient = useQueryClient();
  const { search } = useLocation();
  const inviteToken = new URLSearchParams(search).get('invite') ?? undefined;
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  document.title = 'Sign up · Switchyard';

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '').trim() || undefined;
    setBusy(true);
    setError(null);
    try {
      await signUp(queryClient, {
        email: String(form.get('email')),
        password: String(form.get('password')),
        name: text('name'),
        orgName: inviteToken ? undefined : text('orgName'),
        inviteToken,
      });
      navigate(inviteToken ? '/overview' : '/getting-started', { replace: true });
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
      setBusy(false);
    }
  };

  return (
    <AuthFrame title={inviteToken ? 'Join your team' : 'Create your account'}>
      <form onSubmit={submit} className="stack">
        <label>
          Name
          <input name="name" autoComplete="name" />
        </label>
        <label>
          Email
          <input name="email" type="email" autoComplete="email" required />
        </label>
        <label>
          Password <span className="muted small">(at least 10 characters)</span>
          <input name="password" type="password" autoComplete="new-password" minLength={10} required />
        </label>
        {!inviteToken && (
          <label>
            Organization
            <input name="orgName" placeholder="Acme AI" />
          </label>
        )}
        {error && (
          <p className="error-text" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? 'Creating…' : 'Sign up'}
        </button>
      </form>
      <p className="muted">
        Have an account? <Link to={`/login${search}`}>Log in</Link>
      </p>
    </AuthFrame>
  );
}
