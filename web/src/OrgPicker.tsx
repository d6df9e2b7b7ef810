import { useId, useMemo, useState } from 'react';
import type { OrganisationSummary } from '../../lambdas/contracts/directory';
import { matches } from './format';
import { useI18n } from './i18n';
import { useSession } from './session';

/**
 * Choosing recipient organisations: the groups "all wards and communes" and "all departments", and any
 * organisation found by name (with or without diacritics). The value is what the API takes: group names
 * and organisation ids.
 */

export const GROUPS = {
  'all-wards': (org: OrganisationSummary) => org.kind === 'ward' || org.kind === 'commune',
  'all-departments': (org: OrganisationSummary) => org.kind === 'department',
} as const;
export type Group = keyof typeof GROUPS;

const SHOWN = 25;

export function OrgPicker({
  value,
  onChange,
  groups = true,
  legend,
}: {
  value: readonly string[];
  onChange: (value: string[]) => void;
  groups?: boolean;
  legend: string;
}) {
  const { t } = useI18n();
  const { orgList, me, orgName } = useSession();
  const [query, setQuery] = useState('');
  const searchId = useId();
  const own = me.position.orgId;
  const others = useMemo(() => orgList.filter((o) => o.id !== own), [orgList, own]);
  const found = useMemo(() => others.filter((o) => matches(query, o.name, o.shortName)), [others, query]);
  const selected = new Set(value);
  const toggle = (id: string, on: boolean) =>
    onChange(on ? [...value.filter((v) => v !== id), id] : value.filter((v) => v !== id));
  const coveredBy = (org: OrganisationSummary) =>
    (Object.keys(GROUPS) as Group[]).find((g) => selected.has(g) && GROUPS[g](org));
  const groupLabel = (g: Group) => (g === 'all-wards' ? t('groupWards') : t('groupDepartments'));

  return (
    <fieldset className="org-picker">
      <legend>{legend}</legend>
      {groups ? (
        <div className="org-groups-pick">
          {(Object.keys(GROUPS) as Group[]).map((g) => (
            <label key={g} className="check group-check">
              <input
                type="checkbox"
                checked={selected.has(g)}
                onChange={(e) => toggle(g, e.target.checked)}
                data-group={g}
              />
              <span>
                {groupLabel(g)} <span className="muted">({others.filter(GROUPS[g]).length})</span>
              </span>
            </label>
          ))}
        </div>
      ) : null}
      <div className="field">
        <label htmlFor={searchId}>{t('orgSearch')}</label>
        <input
          id={searchId}
          type="search"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          autoComplete="off"
        />
      </div>
      <ul className="org-results">
        {found.slice(0, SHOWN).map((org) => {
          const group = coveredBy(org);
          return (
            <li key={org.id}>
              <label className="check">
                <input
                  type="checkbox"
                  checked={selected.has(org.id) || group !== undefined}
                  disabled={group !== undefined}
                  onChange={(e) => toggle(org.id, e.target.checked)}
                  data-org={org.id}
                />
                <span>{org.name}</span>
              </label>
            </li>
          );
        })}
      </ul>
      {found.length > SHOWN ? <p className="hint">{t('orgMore', { count: found.length - SHOWN })}</p> : null}
      <div className="chips" aria-live="polite">
        {value.length === 0 ? (
          <p className="hint">{t('orgNoneSelected')}</p>
        ) : (
          <>
            <p className="hint">{t('orgSelected', { count: value.length })}</p>
            <ul className="chip-list">
              {value.map((v) => {
                const name = v in GROUPS ? groupLabel(v as Group) : orgName(v);
                return (
                  <li key={v} className="chip">
                    {name}
                    <button
                      type="button"
                      className="chip-remove"
                      onClick={() => toggle(v, false)}
                      aria-label={t('removeRecipient', { name })}
                    >
                      ×
                    </button>
                  </li>
                );
              })}
            </ul>
          </>
        )}
      </div>
    </fieldset>
  );
}
