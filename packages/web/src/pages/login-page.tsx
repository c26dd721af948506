import type { FormEvent } from 'react';
import { useLogIn } from '../api/use-session.js';
import { ErrorText } from '../components/data-state.js';
import { nextFrom } from '../lib/next-page.js';
import { useAction } from '../lib/use-action.js';
import { Link, navigate, useLocation } from '../router.js';
import { AuthFrame } from './auth-form.js';

export function LoginPage() {
  const logIn = useLogIn();
  const { search } = useLocation();
  // An invitation link for someone who already has an account: sign in, then join.
  const inviteToken = new URLSearchParams(search).get('invite') ?? undefined;
  document.title = 'Log in · Switchyard';
  const login = useAction(async (form: FormData) => {
    await logIn({
      email: String(form.get('email')),
      password: String(form.get('password')),
      inviteToken,
    });
    navigate(inviteToken ? '/overview' : nextFrom(search), { replace: true });
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void login.run(new FormData(event.currentTarget));
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
        <ErrorText message={login.error} />
        <button type="submit" disabled={login.busy}>
          {login.busy ? 'Logging in…' : 'Log in'}
        </button>
      </form>
      <p className="muted">
        New here? <Link to={`/signup${search}`}>Create an account</Link>
      </p>
      <p className="muted small">On a first start, the server prints the admin login in its log.</p>
    </AuthFrame>
  );
}
