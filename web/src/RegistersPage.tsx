import './registers.css';
import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import * as z from 'zod';
import { ApiError, api, getToken } from './api';
import { formatDate } from './format';
import { DOC_TYPES, URGENCIES, useI18n } from './i18n';
import { registerReportTranslator } from './register-reports-texts';
import { registerScreenTranslator } from './registers-texts';
import { useSession } from './session';
import { ErrorMessage, Loading } from './ui';

/*
 * The registers (Decree 30, Appendix IV) for a period, filtered by type and urgency, with the server's
 * exports: the PDF to print and bind, XLSX and CSV. The rows shown are the JSON of the same query.
 */

type Kind = 'outgoing' | 'incoming' | 'follow-up';

const RowSchema = z.looseObject({
  number: z.number().optional(),
  documentId: z.string(),
  symbol: z.string().optional(),
  issuedOn: z.string().optional(),
  docType: z.string().optional(),
  subject: z.string().optional(),
  signer: z.string().optional(),
  recipients: z.array(z.string()).optional(),
  arrivalNumber: z.number().optional(),
  arrivedOn: z.string().optional(),
  issuer: z.string().optional(),
  urgency: z.string().optional(),
  state: z.string().optional(),
  handler: z.object({ name: z.string() }).optional(),
  deadline: z.string().optional(),
  resolvedOn: z.string().optional(),
  onTime: z.boolean().optional(),
  overdueDays: z.number().optional(),
  replySymbol: z.string().optional(),
});
const RegisterSchema = z.object({ orgId: z.string(), year: z.number(), entries: z.array(RowSchema) });
type Row = z.infer<typeof RowSchema>;

const thisYear = () => new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 4);

const KINDS: readonly Kind[] = ['outgoing', 'incoming', 'follow-up'];
const FILTER_KEYS = ['from', 'to', 'docType', 'urgency', 'org', 'status', 'overdue', 'q'] as const;
const STATES: Record<Kind, readonly string[]> = {
  outgoing: ['ISSUED', 'SENT', 'ARCHIVED', 'RECALLED', 'REPLACED'],
  incoming: ['REGISTERED', 'PRESENTED', 'ASSIGNED', 'IN_PROGRESS', 'RESOLVED', 'FORWARDED', 'RECALLED'],
  'follow-up': ['REGISTERED', 'PRESENTED', 'ASSIGNED', 'IN_PROGRESS', 'RESOLVED', 'FORWARDED', 'RECALLED'],
};
type Filters = Record<(typeof FILTER_KEYS)[number], string>;

/** The register and filters the address keeps (`#/registers?kind=follow-up&from=…`), so a view can be shared. */
function fromAddress(): { kind: Kind; filters: Filters } {
  const search = new URLSearchParams(window.location.hash.split('?')[1] ?? '');
  const kind = KINDS.find((k) => k === search.get('kind')) ?? 'outgoing';
  const filters: Filters = {
    from: `${thisYear()}-01-01`,
    to: `${thisYear()}-12-31`,
    docType: '',
    urgency: '',
    org: '',
    status: '',
    overdue: '',
    q: '',
  };
  for (const key of FILTER_KEYS) {
    const value = search.get(key);
    if (value !== null) filters[key] = value;
  }
  return { kind, filters };
}

export function RegistersPage() {
  const { language, locale, l } = useI18n();
  const t = useMemo(() => registerScreenTranslator(language), [language]);
  const r = useMemo(() => registerReportTranslator(language), [language]);
  const ids = {
    kind: useId(),
    from: useId(),
    to: useId(),
    type: useId(),
    urgency: useId(),
    org: useId(),
    status: useId(),
    overdue: useId(),
    q: useId(),
  };
  const { orgList } = useSession();
  const orgs = useMemo(() => [...orgList].sort((a, b) => a.name.localeCompare(b.name, 'vi')), [orgList]);
  const initial = useMemo(fromAddress, []);
  const [kind, setKind] = useState<Kind>(initial.kind);
  const [filters, setFilters] = useState<Filters>(initial.filters);
  const { from, to, docType, urgency } = filters;
  const set = (key: keyof Filters) => (value: string) => setFilters((f) => ({ ...f, [key]: value }));
  const setFrom = set('from');
  const setTo = set('to');
  const setDocType = set('docType');
  const setUrgency = set('urgency');
  /** The register the rows on screen belong to (the select may have changed since). */
  const [shown, setShown] = useState<Kind>(initial.kind);
  const [rows, setRows] = useState<Row[] | undefined>();
  const [error, setError] = useState<unknown>();
  const [downloading, setDownloading] = useState<string | undefined>();

  const params = useCallback(
    (format?: string) => {
      const params = new URLSearchParams();
      for (const key of FILTER_KEYS) if (filters[key]) params.set(key, filters[key]);
      if (format) params.set('format', format);
      return params;
    },
    [filters],
  );
  // Spaces as %20: URLSearchParams writes `+`, which the API's query parsing keeps as a plus sign.
  const query = useCallback(
    (format?: string) => `/api/registers/${kind}?${params(format).toString().replace(/\+/g, '%20')}`,
    [kind, params],
  );

  const latest = useRef(0);
  const load = useCallback(async () => {
    setError(undefined);
    setRows(undefined);
    const address = new URLSearchParams(params());
    address.set('kind', kind);
    window.history.replaceState(null, '', `#/registers?${address}`);
    // Only the latest request's answer is shown: an earlier one arriving late must not replace it.
    const request = ++latest.current;
    try {
      const entries = (await api('GET', query(), RegisterSchema)).entries;
      if (request !== latest.current) return;
      setShown(kind);
      setRows(entries);
    } catch (caught) {
      if (request === latest.current) setError(caught);
    }
  }, [query, params, kind]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: loads the first view once; then on "Show"
  useEffect(() => {
    void load();
  }, []);

  const download = async (format: 'pdf' | 'xlsx' | 'csv') => {
    setDownloading(format);
    setError(undefined);
    try {
      const headers: Record<string, string> = { 'accept-language': language };
      const token = getToken();
      if (token) headers.authorization = `Bearer ${token}`;
      const response = await fetch(query(format), { headers });
      if (!response.ok) {
        const body = (await response.json().catch(() => undefined)) as {
          error?: { code: string; message: string };
        };
        throw new ApiError(
          response.status,
          body?.error?.code ?? 'http',
          body?.error?.message ?? `HTTP ${response.status}`,
        );
      }
      const name =
        /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ??
        `register.${format}`;
      const url = URL.createObjectURL(await response.blob());
      const link = document.createElement('a');
      link.href = url;
      link.download = name;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (caught) {
      setError(caught);
    } finally {
      setDownloading(undefined);
    }
  };

  return (
    <section aria-labelledby="registers-heading" className="registers-page">
      <div className="page-head">
        <h1 id="registers-heading">{t('title')}</h1>
        <p className="page-sub">{t('intro')}</p>
      </div>
      <form
        className="panel registers-filters"
        onSubmit={(event) => {
          event.preventDefault();
          void load();
        }}
      >
        <div className="field">
          <label htmlFor={ids.kind}>{t('register')}</label>
          <select
            id={ids.kind}
            value={kind}
            onChange={(e) => {
              const next = e.target.value as Kind;
              setKind(next);
              // A state of one register means nothing in another; outgoing documents are never overdue here.
              setFilters((f) => ({
                ...f,
                status: STATES[next].includes(f.status) ? f.status : '',
                overdue: next === 'outgoing' ? '' : f.overdue,
              }));
            }}
          >
            <option value="outgoing">{t('outgoing')}</option>
            <option value="incoming">{t('incoming')}</option>
            <option value="follow-up">{r('followUp')}</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.from}>{t('from')}</label>
          <input id={ids.from} type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={ids.to}>{t('to')}</label>
          <input id={ids.to} type="date" value={to} onChange={(e) => setTo(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={ids.type}>{t('docType')}</label>
          <select id={ids.type} value={docType} onChange={(e) => setDocType(e.target.value)}>
            <option value="">{t('any')}</option>
            {Object.keys(DOC_TYPES).map((id) => (
              <option key={id} value={id}>
                {l.docType(id)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.urgency}>{t('urgency')}</label>
          <select id={ids.urgency} value={urgency} onChange={(e) => setUrgency(e.target.value)}>
            <option value="">{t('any')}</option>
            {Object.keys(URGENCIES).map((id) => (
              <option key={id} value={id}>
                {l.urgency(id)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.org}>{r(kind === 'outgoing' ? 'recipient' : 'sender')}</label>
          <select id={ids.org} value={filters.org} onChange={(e) => set('org')(e.target.value)}>
            <option value="">{t('any')}</option>
            {orgs.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.status}>{r('status')}</label>
          <select id={ids.status} value={filters.status} onChange={(e) => set('status')(e.target.value)}>
            <option value="">{t('any')}</option>
            {STATES[kind].map((id) => (
              <option key={id} value={id}>
                {l.state(id)}
              </option>
            ))}
          </select>
        </div>
        {kind === 'outgoing' ? null : (
          <div className="field">
            <label htmlFor={ids.overdue}>{r('overdue')}</label>
            <select id={ids.overdue} value={filters.overdue} onChange={(e) => set('overdue')(e.target.value)}>
              <option value="">{t('any')}</option>
              <option value="true">{r('overdueYes')}</option>
              <option value="false">{r('overdueNo')}</option>
            </select>
          </div>
        )}
        <div className="field">
          <label htmlFor={ids.q}>{r('search')}</label>
          <input
            id={ids.q}
            type="search"
            value={filters.q}
            maxLength={200}
            placeholder={r('searchHint')}
            onChange={(e) => set('q')(e.target.value)}
          />
        </div>
        <div className="form-buttons">
          <button type="submit" className="button button-primary">
            {t('show')}
          </button>
        </div>
      </form>
      <fieldset className="toolbar registers-downloads">
        <legend className="visually-hidden">{t('download')}</legend>
        {(['pdf', 'xlsx', 'csv'] as const).map((format) => (
          <button
            key={format}
            type="button"
            className="button button-secondary"
            data-format={format}
            disabled={downloading !== undefined}
            onClick={() => void download(format)}
          >
            {t(format === 'pdf' ? 'downloadPdf' : format === 'xlsx' ? 'downloadXlsx' : 'downloadCsv')}
          </button>
        ))}
      </fieldset>
      {error ? <ErrorMessage error={error} /> : null}
      {rows === undefined && !error ? <Loading /> : null}
      {rows ? (
        <div className="panel registers-table-wrap">
          <p className="muted">{t('count', { count: rows.length })}</p>
          {rows.length === 0 ? (
            <p className="empty">{t('empty')}</p>
          ) : (
            <div className="table-scroll">
              <table className="registers-table">
                <thead>
                  {shown === 'outgoing' ? (
                    <tr>
                      <th scope="col">{t('col_symbol')}</th>
                      <th scope="col">{t('col_issuedOn')}</th>
                      <th scope="col">{t('col_subject')}</th>
                      <th scope="col">{t('col_signer')}</th>
                      <th scope="col">{t('col_recipients')}</th>
                    </tr>
                  ) : shown === 'incoming' ? (
                    <tr>
                      <th scope="col">{t('col_arrival')}</th>
                      <th scope="col">{t('col_arrivedOn')}</th>
                      <th scope="col">{t('col_issuer')}</th>
                      <th scope="col">{t('col_symbol')}</th>
                      <th scope="col">{t('col_subject')}</th>
                    </tr>
                  ) : (
                    <tr>
                      <th scope="col">{t('col_arrival')}</th>
                      <th scope="col">{t('col_symbol')}</th>
                      <th scope="col">{t('col_subject')}</th>
                      <th scope="col">{r('col_handler')}</th>
                      <th scope="col">{r('col_deadline')}</th>
                      <th scope="col">{r('col_progress')}</th>
                      <th scope="col">{r('col_reply')}</th>
                    </tr>
                  )}
                </thead>
                <tbody>
                  {rows.map((row) =>
                    shown === 'outgoing' ? (
                      <tr key={row.documentId} data-document={row.documentId}>
                        <td>{row.symbol ?? row.number}</td>
                        <td>{formatDate(row.issuedOn, locale)}</td>
                        <td>
                          {row.docType}: {row.subject}
                        </td>
                        <td>{row.signer}</td>
                        <td>{row.recipients?.join('; ')}</td>
                      </tr>
                    ) : shown === 'incoming' ? (
                      <tr key={row.documentId} data-document={row.documentId}>
                        <td>{row.arrivalNumber ?? row.number}</td>
                        <td>{formatDate(row.arrivedOn, locale)}</td>
                        <td>{row.issuer}</td>
                        <td>{row.symbol}</td>
                        <td>
                          {row.docType}: {row.subject}
                        </td>
                      </tr>
                    ) : (
                      <tr key={row.documentId} data-document={row.documentId}>
                        <td>{row.arrivalNumber}</td>
                        <td>
                          {row.symbol}
                          <br />
                          <span className="muted">{row.issuer}</span>
                        </td>
                        <td>
                          {row.docType}: {row.subject}
                        </td>
                        <td>{row.handler?.name}</td>
                        <td>{formatDate(row.deadline, locale)}</td>
                        <td>
                          {row.state === 'RESOLVED' && row.resolvedOn
                            ? r('resolvedOn', { date: formatDate(row.resolvedOn, locale) })
                            : l.state(row.state)}
                          {row.onTime === false ? ` (${r('late')})` : null}
                          {row.overdueDays ? (
                            <>
                              <br />
                              <strong className="overdue">
                                {r('overdueDays', { days: row.overdueDays })}
                              </strong>
                            </>
                          ) : null}
                        </td>
                        <td>{row.replySymbol}</td>
                      </tr>
                    ),
                  )}
                </tbody>
              </table>
            </div>
          )}
        </div>
      ) : null}
    </section>
  );
}
