import type { ReactNode } from 'react';

/** The frame of the sign-in and sign-up pages: a centred card with the product's name. */
export function AuthFrame({ title, children }: { title: string; children: ReactNode }) {
  return (
    <main id="main" className="auth-page">
      <section className="card auth-card">
        <p className="brand">Switchyard</p>
        <h1>{title}</h1>
        {children}
      </section>
    </main>
  );
}
