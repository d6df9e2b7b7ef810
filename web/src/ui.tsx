import { type ReactNode, useId, useState } from 'react';
import { ApiError } from './api';
import { deadlineStatus, formatDate } from './format';
import { useI18n } from './i18n';

/** Small building blocks shared by the screens. */

export type Tone = 'neutral' | 'info' | 'success' | 'warning' | 'danger' | 'accent';

export function Badge({
  tone = 'neutral',
  children,
  title,
}: {
  tone?: Tone;
  children: ReactNode;
  title?: string;
}) {
  return (
    <span className={`badge badge-${tone}`} title={title}>
      {children}
    </span>
  );
}

const STATE_TONES: Readonly<Record<string, Tone>> = {
  AWAITING_CONTENT: 'neutral',
  DRAFT: 'neutral',
  UNDER_REVIEW: 'info',
  SUBMITTED_TO_SIGNER: 'accent',
  SIGNED: 'info',
  ISSUED: 'success',
  SENT: 'success',
  ARCHIVED: 'neutral',
  RECALLED: 'danger',
  REPLACED: 'warning',
  ARRIVED: 'accent',
  RETURNED: 'danger',
  REGISTERED: 'info',
  PRESENTED: 'accent',
  ASSIGNED: 'info',
  IN_PROGRESS: 'info',
  RESOLVED: 'success',
  FORWARDED: 'neutral',
};

export function StateBadge({ state }: { state: string | undefined }) {
  const { l } = useI18n();
  if (!state) return null;
  return <Badge tone={STATE_TONES[state] ?? 'neutral'}>{l.state(state)}</Badge>;
}

export function UrgencyBadge({ urgency }: { urgency: string | undefined }) {
  const { l } = useI18n();
  if (!urgency || urgency === 'normal') return null;
  return <Badge tone={urgency === 'urgent' ? 'warning' : 'danger'}>{l.urgency(urgency)}</Badge>;
}

export function DeadlineBadge({ deadline, done }: { deadline: string | undefined; done?: boolean }) {
  const { t, locale } = useI18n();
  if (!deadline) return null;
  const date = formatDate(deadline, locale);
  if (done) return <Badge tone="neutral">{t('deadlineOn', { date })}</Badge>;
  const status = deadlineStatus(deadline);
  switch (status.kind) {
    case 'overdue':
      return (
        <Badge tone="danger" title={t('deadlineOn', { date })}>
          <Icon name="warning" />
          {t('overdue', { days: status.days })} · {date}
        </Badge>
      );
    case 'today':
      return <Badge tone="warning">{`${t('dueToday')} · ${date}`}</Badge>;
    case 'soon':
      return <Badge tone="warning">{`${t('dueIn', { days: status.days })} · ${date}`}</Badge>;
    case 'later':
      return <Badge tone="neutral">{t('deadlineOn', { date })}</Badge>;
  }
}

export function ErrorMessage({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useI18n();
  if (!error) return null;
  const message = error instanceof Error ? error.message : String(error);
  return (
    <div className="alert alert-error" role="alert">
      <p>{message}</p>
      {error instanceof ApiError && error.code !== 'network' ? (
        // For whoever helps the person: the code and status, folded away from the message.
        <details className="alert-code">
          <summary>{t('wdErrorDetails')}</summary>
          <code data-error-code={error.code}>
            {error.code}
            {error.status ? ` · HTTP ${error.status}` : ''}
          </code>
        </details>
      ) : null}
      {onRetry ? (
        <button type="button" className="button button-secondary" onClick={onRetry}>
          {t('retry')}
        </button>
      ) : null}
    </div>
  );
}

export function Loading({ label }: { label?: string }) {
  const { t } = useI18n();
  return (
    <p className="loading" role="status">
      <span className="spinner" aria-hidden="true" />
      {label ?? t('loading')}
    </p>
  );
}

/** A labelled form control, with an optional hint tied to it by aria-describedby. */
export function Field({
  label,
  hint,
  children,
}: {
  label: string;
  hint?: string;
  children: (props: { id: string; 'aria-describedby'?: string }) => ReactNode;
}) {
  const id = useId();
  const hintId = `${id}-hint`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-describedby': hint ? hintId : undefined })}
      {hint ? (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}

const ICONS = {
  plus: 'M12 5v14M5 12h14',
  check: 'M5 12.5l4.5 4.5L19 7.5',
  cross: 'M6 6l12 12M18 6L6 18',
  warning: 'M12 4l9 16H3zM12 10v4M12 17.5v.5',
  lock: 'M7 11V8a5 5 0 0 1 10 0v3M5 11h14v9H5z',
  file: 'M7 3h7l5 5v13H7zM14 3v5h5',
} as const;

/** A small line icon, decorative: the text beside it says the same. */
export function Icon({ name }: { name: keyof typeof ICONS }) {
  return (
    <svg className={`icon icon-${name}`} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d={ICONS[name]} />
    </svg>
  );
}

/**
 * A file picker whose button and file name are in the page's language (the native one speaks the
 * browser's). The input stays the labelled, focusable control.
 */
export function FileInput({
  label,
  hint,
  accept,
  onChange,
}: {
  label: string;
  hint?: string;
  accept: string;
  onChange: (file: File | undefined) => void;
}) {
  const { t } = useI18n();
  const id = useId();
  const [name, setName] = useState<string | undefined>();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <div className="file-input">
        <input
          id={id}
          type="file"
          accept={accept}
          aria-describedby={hint ? `${id}-hint` : undefined}
          onChange={(e) => {
            const file = e.target.files?.[0];
            setName(file?.name);
            onChange(file);
          }}
        />
        <span className="button button-secondary file-button" aria-hidden="true">
          <Icon name="file" />
          {t('chooseFile')}
        </span>
        <span className="file-name" aria-hidden="true">
          {name ?? t('noFileChosen')}
        </span>
      </div>
      {hint ? (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}
