import './registers.css';
import { useCallback, useEffect, useId, useMemo, useState } from 'react';
import * as z from 'zod';
import { ApiError, api, getToken } from './api';
import { formatDate } from './format';
import { DOC_TYPES, URGENCIES, useI18n } from './i18n';
import { registerScreenTranslator } from './registers-texts';
import { ErrorMessage, Loading } from './ui';

/*
 * The registers (Decree 30, Appendix IV) for a period, filtered by type and urgency, with the server's
 * exports: the PDF to print and bind, XLSX and CSV. The rows shown are the JSON of the same query.
 */

type Kind = 'outgoing' | 'incoming';

const RowSchema = z.looseObject({
  number: z.number(),
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
});
const RegisterSchema = z.object({ orgId: z.string(), year: z.number(), entries: z.array(RowSchema) });
type Row = z.infer<typeof RowSchema>;

const thisYear = () => new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 4);

export function RegistersPage() {
  const { language, locale, l } = useI18n();
  const t = useMemo(() => registerScreenTranslator(language), [language]);
  const ids = { kind: useId(), from: useId(), to: useId(), type: useId(), urgency: useId() };
  const [kind, setKind] = useState<Kind>('outgoing');
  const [from, setFrom] = useState(`${thisYear()}-01-01`);
  const [to, setTo] = useState(`${thisYear()}-12-31`);
  const [docType, setDocType] = useState('');
  const [urgency, setUrgency] = useState('');
  const [rows, setRows] = useState<Row[] | undefined>();
  const [error, setError] = useState<unknown>();
  const [downloading, setDownloading] = useState<string | undefined>();

  const query = useCallback(
    (format?: string) => {
      const params = new URLSearchParams();
      if (from) params.set('from', from);
      if (to) params.set('to', to);
      if (docType) params.set('docType', docType);
      if (urgency) params.set('urgency', urgency);
      if (format) params.set('format', format);
      return `/api/registers/${kind}?${params}`;
    },
    [kind, from, to, docType, urgency],
  );

  const load = useCallback(async () => {
    setError(undefined);
    setRows(undefined);
    try {
      setRows((await api('GET', query(), RegisterSchema)).entries);
    } catch (caught) {
      setError(caught);
    }
  }, [query]);

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
          <select id={ids.kind} value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
            <option value="outgoing">{t('outgoing')}</option>
            <option value="incoming">{t('incoming')}</option>
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
                  {kind === 'outgoing' ? (
                    <tr>
                      <th scope="col">{t('col_symbol')}</th>
                      <th scope="col">{t('col_issuedOn')}</th>
                      <th scope="col">{t('col_subject')}</th>
                      <th scope="col">{t('col_signer')}</th>
                      <th scope="col">{t('col_recipients')}</th>
                    </tr>
                  ) : (
                    <tr>
                      <th scope="col">{t('col_arrival')}</th>
                      <th scope="col">{t('col_arrivedOn')}</th>
                      <th scope="col">{t('col_issuer')}</th>
                      <th scope="col">{t('col_symbol')}</th>
                      <th scope="col">{t('col_subject')}</th>
                    </tr>
                  )}
                </thead>
                <tbody>
                  {rows.map((row) =>
                    kind === 'outgoing' ? (
                      <tr key={row.documentId} data-document={row.documentId}>
                        <td>{row.symbol ?? row.number}</td>
                        <td>{formatDate(row.issuedOn, locale)}</td>
                        <td>
                          {row.docType}: {row.subject}
                        </td>
                        <td>{row.signer}</td>
                        <td>{row.recipients?.join('; ')}</td>
                      </tr>
                    ) : (
                      <tr key={row.documentId} data-document={row.documentId}>
                        <td>{row.arrivalNumber ?? row.number}</td>
                        <td>{formatDate(row.arrivedOn, locale)}</td>
                        <td>{row.issuer}</td>
                        <td>{row.symbol}</td>
                        <td>
                          {row.docType}: {row.subject}
                        </td>
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
