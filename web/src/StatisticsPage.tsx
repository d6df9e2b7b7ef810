import './registers.css';
import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import type * as z from 'zod';
import { StatisticsSchema } from '../../lambdas/contracts/documents';
import { ApiError, api, getToken } from './api';
import { useI18n } from './i18n';
import { registerReportTranslator } from './register-reports-texts';
import { registerScreenTranslator } from './registers-texts';
import { ErrorMessage, Loading } from './ui';

/*
 * Statistics for leaders and clerks (GET /api/statistics): received and sent by period as a bar chart
 * (Chart.js, loaded with the screen's first chart only), every grouping as a table, and the same numbers
 * as CSV or XLSX from the server.
 */

type Statistics = z.infer<typeof StatisticsSchema>;
type Line = Statistics['periods'][number];
type By = 'month' | 'quarter' | 'year';

const thisYear = () => new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 4);
const COLUMNS = ['received', 'sent', 'resolved', 'onTime', 'lateCount', 'overdueCount'] as const;
const VALUES = {
  received: 'received',
  sent: 'sent',
  resolved: 'resolved',
  onTime: 'onTime',
  lateCount: 'late',
  overdueCount: 'overdue',
} as const;

export function StatisticsPage() {
  const { language } = useI18n();
  const r = useMemo(() => registerReportTranslator(language), [language]);
  const t = useMemo(() => registerScreenTranslator(language), [language]);
  const ids = { from: useId(), to: useId(), by: useId() };
  const [from, setFrom] = useState(`${thisYear()}-01-01`);
  const [to, setTo] = useState(`${thisYear()}-12-31`);
  const [by, setBy] = useState<By>('month');
  const [stats, setStats] = useState<Statistics | undefined>();
  const [error, setError] = useState<unknown>();
  const [downloading, setDownloading] = useState(false);
  const canvas = useRef<HTMLCanvasElement>(null);

  const query = useCallback(
    (format?: string) =>
      `/api/statistics?${new URLSearchParams({ from, to, by, ...(format ? { format } : {}) })}`,
    [from, to, by],
  );

  const latest = useRef(0);
  const load = useCallback(async () => {
    setError(undefined);
    setStats(undefined);
    // Only the latest request's answer is shown.
    const request = ++latest.current;
    try {
      const answer = await api('GET', query(), StatisticsSchema);
      if (request === latest.current) setStats(answer);
    } catch (caught) {
      if (request === latest.current) setError(caught);
    }
  }, [query]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: loads the first view once; then on "Show"
  useEffect(() => {
    void load();
  }, []);

  useEffect(() => {
    const element = canvas.current;
    if (!stats || !element || stats.periods.length === 0) return;
    let chart: { destroy(): void } | undefined;
    let cancelled = false;
    void import('./statistics-chart').then(({ drawBars }) => {
      if (cancelled) return;
      chart = drawBars(
        element,
        stats.periods.map((p) => p.label),
        [
          { label: r('received'), values: stats.periods.map((p) => p.received), colour: '#1d4f91' },
          { label: r('sent'), values: stats.periods.map((p) => p.sent), colour: '#c8102e' },
        ],
      );
    });
    return () => {
      cancelled = true;
      chart?.destroy();
    };
  }, [stats, r]);

  const download = async (format: 'csv' | 'xlsx') => {
    setDownloading(true);
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
        `statistics.${format}`;
      const url = URL.createObjectURL(await response.blob());
      const link = document.createElement('a');
      link.href = url;
      link.download = name;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (caught) {
      setError(caught);
    } finally {
      setDownloading(false);
    }
  };

  const table = (caption: 'periods' | 'handlers' | 'types' | 'urgencies', lines: readonly Line[]) =>
    lines.length === 0 ? null : (
      <div className="panel registers-table-wrap">
        <table className="registers-table statistics-table" data-group={caption}>
          <caption>{r(caption)}</caption>
          <thead>
            <tr>
              <th scope="col">{r('item')}</th>
              {COLUMNS.map((c) => (
                <th scope="col" key={c}>
                  {r(c)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {lines.map((line) => (
              <tr key={line.key} data-key={line.key}>
                <th scope="row">{line.label}</th>
                {COLUMNS.map((c) => (
                  <td key={c}>{line[VALUES[c]]}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    );

  return (
    <section aria-labelledby="statistics-heading" className="registers-page">
      <div className="page-head">
        <h1 id="statistics-heading">{r('statsTitle')}</h1>
        <p className="page-sub">{r('statsIntro')}</p>
      </div>
      <form
        className="panel registers-filters"
        onSubmit={(event) => {
          event.preventDefault();
          void load();
        }}
      >
        <div className="field">
          <label htmlFor={ids.from}>{t('from')}</label>
          <input id={ids.from} type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={ids.to}>{t('to')}</label>
          <input id={ids.to} type="date" value={to} onChange={(e) => setTo(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={ids.by}>{r('statsBy')}</label>
          <select id={ids.by} value={by} onChange={(e) => setBy(e.target.value as By)}>
            {(['month', 'quarter', 'year'] as const).map((b) => (
              <option key={b} value={b}>
                {r(`by_${b}`)}
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
        {(['xlsx', 'csv'] as const).map((format) => (
          <button
            key={format}
            type="button"
            className="button button-secondary"
            data-format={format}
            disabled={downloading}
            onClick={() => void download(format)}
          >
            {t(format === 'xlsx' ? 'downloadXlsx' : 'downloadCsv')}
          </button>
        ))}
      </fieldset>
      {error ? <ErrorMessage error={error} /> : null}
      {stats === undefined && !error ? <Loading /> : null}
      {stats ? (
        <>
          <dl className="panel statistics-totals">
            {COLUMNS.map((c) => (
              <div key={c} data-total={c}>
                <dt>{r(c)}</dt>
                <dd>{stats.totals[VALUES[c]]}</dd>
              </div>
            ))}
          </dl>
          {stats.periods.length === 0 ? (
            <p className="empty">{r('none')}</p>
          ) : (
            <div className="panel statistics-chart">
              <canvas ref={canvas} role="img" aria-label={r('chartLabel')} />
            </div>
          )}
          {table('periods', stats.periods)}
          {table('handlers', stats.handlers)}
          {table('types', stats.types)}
          {table('urgencies', stats.urgencies)}
        </>
      ) : null}
    </section>
  );
}
