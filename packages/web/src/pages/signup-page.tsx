import type { FormEvent } from 'react';
import { useSignUp } from '../api/use-session.js';
import { ErrorText } from '../components/data-state.js';
import { useAction } from '../lib/use-action.js';
import { Link, navigate, useLocation } from '../router.js';
import { AuthFrame } from './auth-form.js';

export function SignupPage() {
  const signUp = useSignUp();
  const { search } = useLocation();
  const inviteToken = new URLSearchParams(search).get('invite') ?? undefined;
  document.title = 'Sign up · Switchyard';
  const signup = useAction(async (form: FormData) => {
    const text = (name: string) => String(form.get(name) ?? '').trim() || undefined;
    await signUp({
      email: String(form.get('email')),
      password: String(form.get('password')),
      name: text('name'),
      orgName: inviteToken ? undefined : text('orgName'),
      inviteToken,
    });
    navigate(inviteToken ? '/overview' : '/getting-started', { replace: true });
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void signup.run(new FormData(event.currentTarget));
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
        <ErrorText message={signup.error} />
        <button type="submit" disabled={signup.busy}>
          {signup.busy ? 'Creating…' : 'Sign up'}
        </button>
      </form>
      <p className="muted">
        Have an account? <Link to={`/login${search}`}>Log in</Link>
      </p>
    </AuthFrame>
  );
}
