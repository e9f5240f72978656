import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { useClassroom } from '../../app/ClassroomProvider';
import { errorMessage } from '../../components/error-message';
import { homePathFor, PATHS, safeNextPath } from '../../app/routes';
import { SignInFrame } from '../../components/SignInFrame';
import { usePageTitle } from '../../components/hooks';
import { ApiError } from '../../services/api-client';
import type { EnrolmentHandOver } from '../set-password/SetPasswordPage';

export function LoginPage() {
  const { t } = useTranslation();
  const { signIn } = useClassroom();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [userId, setUserId] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const userIdField = useRef<HTMLInputElement>(null);
  const passwordField = useRef<HTMLInputElement>(null);
  usePageTitle(t('titles.login'));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const user = await signIn(userId.trim(), password);
      navigate(safeNextPath(params.get('next')) ?? homePathFor(user.role), { replace: true });
    } catch (caught) {
      // An enrolment code (web and desktop alike: main passes the server's code on) is spent on choosing a password.
      if (caught instanceof ApiError && caught.code === 'PASSWORD_SETUP_REQUIRED') {
        const handOver: EnrolmentHandOver = { userId: userId.trim(), enrolmentCode: password };
        navigate({ pathname: PATHS.setPassword, search: params.toString() ? `?${params.toString()}` : '' }, { state: handOver });
        return;
      }
      setError(errorMessage(t, caught));
      // Focus stays in the form (not on <body>): on the field to fix, the password after a wrong one.
      const userIdRefused = caught instanceof ApiError && caught.code === 'VALIDATION_FAILED' && JSON.stringify(caught.details ?? '').includes('userId');
      (userIdRefused ? userIdField : passwordField).current?.focus();
    } finally {
      setBusy(false);
    }
  };

  return (
    <SignInFrame titleId="login-title" title={t('signIn.title')} intro={t('tagline')} onSubmit={(e) => void submit(e)}>
      <label className="field">
        <span>{t('signIn.userId')}</span>
        <input ref={userIdField} name="userId" aria-describedby={error ? 'login-error' : undefined} autoComplete="username" required value={userId} onChange={(e) => setUserId(e.target.value)} autoFocus />
      </label>
      <label className="field">
        <span>{t('signIn.password')}</span>
        <input ref={passwordField} name="password" aria-describedby={error ? 'login-error' : undefined} type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
      </label>
      {error && (
        <p className="error" role="alert" id="login-error">
          {error}
        </p>
      )}
      <button type="submit" className="button primary" disabled={busy}>
        {t('signIn.submit')}
      </button>
      <p className="hint">{t('signIn.demoHint')}</p>
    </SignInFrame>
  );
}
