import type { FormEvent, ReactNode } from 'react';
import { AppHeader } from './AppHeader';

interface SignInFrameProps {
  /** The heading's id, which names the form. */
  titleId: string;
  title: string;
  intro: string;
  onSubmit: (event: FormEvent) => void;
  children: ReactNode;
}

/** The frame of the pages before a sign-in (sign in, choose a password): one card, one form. */
export function SignInFrame({ titleId, title, intro, onSubmit, children }: SignInFrameProps) {
  return (
    <div className="app">
      <AppHeader />
      <main className="page page-login">
        <form className="card login-card" onSubmit={onSubmit} aria-labelledby={titleId}>
          <h1 id={titleId}>{title}</h1>
          <p className="muted">{intro}</p>
          {children}
        </form>
      </main>
    </div>
  );
}
