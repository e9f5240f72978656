import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router';
import { useClassroom } from '../../app/ClassroomProvider';
import { homePathFor, PATHS, safeNextPath } from '../../app/routes';
import { SignInFrame } from '../../components/SignInFrame';
import { errorMessage } from '../../components/error-message';
import { usePageTitle } from '../../components/hooks';
import { ApiError } from '../../services/api-client';

/** What the sign-in page hands over (in the history entry, never the URL) when it got PASSWORD_SETUP_REQUIRED. */
export interface EnrolmentHandOver {
  userId: string;
  enrolmentCode: string;
}

function handOver(state: unknown): EnrolmentHandOver | null {
  const candidate = state as Partial<EnrolmentHandOver> | null;
  return typeof candidate?.userId === 'string' && typeof candidate.enrolmentCode === 'string' ? { userId: candidate.userId, enrolmentCode: candidate.enrolmentCode } : null;
}

/**
 * First sign-in of an imported user: the one-time enrolment code is spent on a password of their
 * own. Reached from the sign-in page with the code already typed, or directly with it empty.
 */
export function SetPasswordPage() {
  const { t } = useTranslation();
  const { setPassword } = useClassroom();
  const navigate = useNavigate();
  const location = useLocation();
  const [params] = useSearchParams();
  const given = handOver(location.state);
  const [userId, setUserId] = useState(given?.userId ?? '');
  const [code, setCode] = useState(given?.enrolmentCode ?? '');
  const [password, setNewPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  usePageTitle(t('setPassword.title'));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (password !== repeat) {
      setError(t('setPassword.mismatch'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const user = await setPassword(userId.trim(), code.trim(), password);
      // Replacing this history entry also drops the code it carried.
      navigate(safeNextPath(params.get('next')) ?? homePathFor(user.role), { replace: true });
    } catch (caught) {
      setError(caught instanceof ApiError && caught.code === 'INVALID_CREDENTIALS' ? t('setPassword.codeRefused') : errorMessage(t, caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <SignInFrame titleId="set-password-title" title={t('setPassword.title')} intro={given ? t('setPassword.intro') : t('setPassword.introWithoutCode')} onSubmit={(e) => void submit(e)}>
      <label className="field">
        <span>{t('signIn.userId')}</span>
        <input name="userId" autoComplete="username" required value={userId} onChange={(e) => setUserId(e.target.value)} readOnly={!!given} />
      </label>
      {!given && (
        <label className="field">
          <span>{t('setPassword.code')}</span>
          <input name="enrolmentCode" autoComplete="one-time-code" required value={code} onChange={(e) => setCode(e.target.value)} />
        </label>
      )}
      <label className="field">
        <span>{t('setPassword.newPassword')}</span>
        <input
          name="newPassword"
          type="password"
          autoComplete="new-password"
          required
          minLength={8}
          maxLength={256}
          aria-describedby="password-rules"
          value={password}
          onChange={(e) => setNewPassword(e.target.value)}
          autoFocus
        />
      </label>
      <label className="field">
        <span>{t('setPassword.repeat')}</span>
        <input name="repeatPassword" type="password" autoComplete="new-password" required minLength={8} maxLength={256} value={repeat} onChange={(e) => setRepeat(e.target.value)} />
      </label>
      <p className="hint" id="password-rules">
        {t('setPassword.rules')}
      </p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="button primary" disabled={busy}>
        {t('setPassword.submit')}
      </button>
      <Link className="hint" to={PATHS.login}>
        {t('setPassword.back')}
      </Link>
    </SignInFrame>
  );
}
