import type { ReactNode } from 'react';
import { AppHeader } from './AppHeader';

interface PageFrameProps {
  /** Names the page for styling: `page page-<name>`. */
  name: string;
  title: string;
  /** The line under the title (times' zone, the week shown); omitted while unknown. */
  subtitle?: ReactNode;
  /** What sits beside the title: navigation, a page-wide action. */
  actions?: ReactNode;
  /** A refusal or failure in words (an alert, read out when it appears). */
  error?: string | null;
  children: ReactNode;
}

/** The frame every signed-in page shares: the header, the page's title line and its error. */
export function PageFrame({ name, title, subtitle, actions, error, children }: PageFrameProps) {
  return (
    <div className="app">
      <AppHeader />
      <main className={`page page-${name}`}>
        <div className="page-title">
          <div>
            <h1>{title}</h1>
            {subtitle && <p className="muted">{subtitle}</p>}
          </div>
          {actions}
        </div>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        {children}
      </main>
    </div>
  );
}
