import { useEffect, useState } from 'react';
import { NotificationPreferencesSchema } from '../../../lambdas/contracts/notifications';
import { api } from '../api';
import { useI18n } from '../i18n';
import { useGet } from '../session';
import { ErrorMessage, Field, Loading } from '../ui';
import { preferenceMessages as m } from './preferences-texts';

const EMAIL_CHOICES = NotificationPreferencesSchema.shape.emailFor.element.options;
type EmailChoice = (typeof EMAIL_CHOICES)[number];

/** The person's notification preferences (GET/PUT /api/notifications/preferences), on the profile page. */
export function NotificationPreferences() {
  const { language } = useI18n();
  const t = (code: Parameters<typeof m.render>[0]) => m.render(code, language);
  const current = useGet('/api/notifications/preferences', NotificationPreferencesSchema);
  const [email, setEmail] = useState('');
  const [mailLanguage, setMailLanguage] = useState<'vi' | 'en'>('vi');
  const [chosen, setChosen] = useState<ReadonlySet<EmailChoice>>(new Set());
  const [state, setState] = useState<{ saving: boolean; saved: boolean; error?: unknown }>({
    saving: false,
    saved: false,
  });
  const loaded = current.status === 'ready' ? current.value : undefined;
  useEffect(() => {
    if (!loaded) return;
    setEmail(loaded.email ?? '');
    setMailLanguage(loaded.language);
    setChosen(new Set(loaded.emailFor));
  }, [loaded]);

  const save = async () => {
    setState({ saving: true, saved: false });
    try {
      await api('PUT', '/api/notifications/preferences', NotificationPreferencesSchema, {
        body: {
          ...(email.trim() ? { email: email.trim() } : {}),
          language: mailLanguage,
          emailFor: EMAIL_CHOICES.filter((c) => chosen.has(c)),
        },
      });
      setState({ saving: false, saved: true });
    } catch (error) {
      setState({ saving: false, saved: false, error });
    }
  };

  return (
    <section className="panel notification-preferences" aria-labelledby="preferences-heading">
      <h2 id="preferences-heading" className="panel-title">
        {t('title')}
      </h2>
      <p>{t('intro')}</p>
      {current.status === 'loading' ? <Loading /> : null}
      {current.status === 'error' ? <ErrorMessage error={current.error} onRetry={current.reload} /> : null}
      {loaded ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <Field label={t('email')} hint={t('emailHint')}>
            {(props) => (
              <input
                {...props}
                type="email"
                value={email}
                maxLength={254}
                autoComplete="email"
                onChange={(e) => setEmail(e.target.value)}
              />
            )}
          </Field>
          <Field label={t('language')}>
            {(props) => (
              <select
                {...props}
                value={mailLanguage}
                onChange={(e) => setMailLanguage(e.target.value === 'en' ? 'en' : 'vi')}
              >
                <option value="vi">{t('vi')}</option>
                <option value="en">{t('en')}</option>
              </select>
            )}
          </Field>
          <fieldset className="field">
            <legend>{t('kinds')}</legend>
            {EMAIL_CHOICES.map((choice) => (
              <label key={choice} className="checkbox">
                <input
                  type="checkbox"
                  name="emailFor"
                  value={choice}
                  checked={chosen.has(choice)}
                  onChange={(e) => {
                    const next = new Set(chosen);
                    if (e.target.checked) next.add(choice);
                    else next.delete(choice);
                    setChosen(next);
                  }}
                />
                {t(`kind_${choice}`)}
              </label>
            ))}
          </fieldset>
          <button type="submit" className="button button-primary" disabled={state.saving}>
            {t('save')}
          </button>
          {state.saved ? <p role="status">{t('saved')}</p> : null}
          {state.error ? <ErrorMessage error={state.error} /> : null}
        </form>
      ) : null}
    </section>
  );
}
