import type { Classification } from '../../lambdas/core/domain/document-files';
import { useI18n } from './i18n';
import { Field } from './ui';

/**
 * The classification (độ mật) a drafter must declare. Documents containing state secrets are not handled in
 * this system: choosing a secret level says so at once, and the server refuses such a draft anyway.
 */
export function ClassificationField({
  value,
  onChange,
  disabled,
}: {
  value: Classification | '';
  onChange: (value: Classification | '') => void;
  disabled?: boolean;
}) {
  const { t } = useI18n();
  return (
    <>
      <Field label={t('classification')} hint={t('classificationHint')}>
        {(p) => (
          <select
            {...p}
            value={value}
            required
            disabled={disabled}
            onChange={(e) => onChange(e.target.value as Classification | '')}
          >
            <option value="">{t('classificationChoose')}</option>
            <option value="none">{t('classificationNone')}</option>
            <option value="secret">{t('classificationSecret')}</option>
            <option value="top-secret">{t('classificationTopSecret')}</option>
            <option value="most-secret">{t('classificationMostSecret')}</option>
          </select>
        )}
      </Field>
      {value !== '' && value !== 'none' ? (
        <div className="alert alert-error" role="alert" data-classification-refused="true">
          <p>{t('classificationRefused')}</p>
        </div>
      ) : null}
    </>
  );
}
