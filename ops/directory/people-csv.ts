import * as z from 'zod';
import { en } from 'zod/locales';
import { OrgIdSchema } from '../../lambdas/core/domain/common';
import {
  CsvSyntaxError,
  type Directory,
  LeaderRankSchema,
  type Person,
  PersonSchema,
  parseCsvRows,
  personFromEntry,
  RoleSchema,
  UnitCodeSchema,
} from '../../lambdas/core/domain/directory';

/*
 * The people CSV an operator loads into a stage (docs/DEPLOY.md, "Load the directory"). It is validated
 * whole before anything is written: every bad row is reported with its line, and one bad row stops the load.
 */

export const REQUIRED_COLUMNS = ['person_id', 'full_name', 'org_id', 'role', 'email'] as const;
/** `left_on` (YYYY-MM-DD) and `successor_id` together record a departure (issue 19). */
export const OPTIONAL_COLUMNS = ['rank', 'title', 'unit_code', 'left_on', 'successor_id'] as const;
const COLUMNS: readonly string[] = [...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS];

/**
 * Person ids become the user's immutable `custom:personId` in Cognito (at most 64 characters) and part of
 * the KMS alias of their signing key, so they are held to the slug rule and that length.
 */
export const LoadablePersonIdSchema = z
  .string()
  .max(64)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'lower-case ASCII letters and digits in dash-separated words');

const blankToUndefined = (value: unknown) => (value === '' ? undefined : value);

const RowSchema = z.object({
  person_id: LoadablePersonIdSchema,
  full_name: z.string().min(1).max(120),
  org_id: OrgIdSchema,
  role: RoleSchema,
  rank: z.preprocess(blankToUndefined, LeaderRankSchema.optional()),
  title: z.preprocess(blankToUndefined, z.string().max(120).optional()),
  unit_code: z.preprocess(blankToUndefined, UnitCodeSchema.optional()),
  left_on: z.preprocess(blankToUndefined, z.iso.date().optional()),
  successor_id: z.preprocess(blankToUndefined, LoadablePersonIdSchema.optional()),
  // Cognito compares sign-in e-mails case-insensitively; one spelling keeps the plan stable.
  email: z
    .email()
    .max(254)
    .transform((e) => e.toLowerCase()),
});

/** A valid row: the person as the directory stores them, and the e-mail their user signs in with. */
export interface PersonRow {
  readonly line: number;
  readonly person: Person;
  readonly email: string;
  /** The person left (`left_on`): their pending work goes to `successorId`. */
  readonly departure?: { readonly leftOn: string; readonly successorId: string };
}

export interface RowError {
  readonly line: number;
  readonly column?: string;
  readonly message: string;
}

export type PeopleCsv =
  | { readonly ok: true; readonly rows: readonly PersonRow[] }
  | { readonly ok: false; readonly errors: readonly RowError[] };

/** Where a field of the stored person comes from in the CSV, to point errors at the right column. */
const COLUMN_OF: Readonly<Record<string, string>> = {
  id: 'person_id',
  name: 'full_name',
  'position.orgId': 'org_id',
  'position.role': 'role',
  'position.title': 'title',
  'position.rank': 'rank',
  'position.unitCode': 'unit_code',
};

const english = { error: en().localeError };

/** Validates the whole file against the directory; returns every problem, or every person. */
export function parsePeopleCsv(text: string, directory: Directory): PeopleCsv {
  let records: ReturnType<typeof parseCsvRows>;
  try {
    records = parseCsvRows(text);
  } catch (error) {
    if (!(error instanceof CsvSyntaxError)) throw error;
    return { ok: false, errors: [{ line: error.line, message: error.message }] };
  }
  const [header, ...body] = records;
  if (!header) return { ok: false, errors: [{ line: 1, message: `empty file: expected a header line` }] };

  const names = header.fields.map((f) => f.trim());
  const headerProblems: string[] = [];
  const missing = REQUIRED_COLUMNS.filter((c) => !names.includes(c));
  if (missing.length) headerProblems.push(`missing column(s) ${missing.join(', ')}`);
  const unknown = names.filter((n) => !COLUMNS.includes(n));
  if (unknown.length) headerProblems.push(`unknown column(s) ${unknown.map((n) => `"${n}"`).join(', ')}`);
  const repeated = names.filter((n, k) => names.indexOf(n) !== k);
  if (repeated.length) headerProblems.push(`repeated column(s) ${[...new Set(repeated)].join(', ')}`);
  if (headerProblems.length) {
    const expected = `expected ${REQUIRED_COLUMNS.join(', ')} and optionally ${OPTIONAL_COLUMNS.join(', ')}`;
    return {
      ok: false,
      errors: [{ line: header.line, message: `${headerProblems.join('; ')} (${expected})` }],
    };
  }

  const errors: RowError[] = [];
  const rows: PersonRow[] = [];
  const lineOfId = new Map<string, number>();
  const lineOfEmail = new Map<string, number>();
  for (const { line, fields } of body) {
    if (fields.length !== names.length) {
      errors.push({ line, message: `${fields.length} fields, the header has ${names.length}` });
      continue;
    }
    const raw = Object.fromEntries(names.map((name, k) => [name, (fields[k] ?? '').trim()]));
    const parsed = RowSchema.safeParse(raw, english);
    if (!parsed.success) {
      const reported = new Set<string>();
      for (const issue of parsed.error.issues) {
        const column = String(issue.path[0] ?? '');
        // An empty required field says so, instead of zod's length or format message.
        const empty = raw[column] === '' && (REQUIRED_COLUMNS as readonly string[]).includes(column);
        if (empty && reported.has(column)) continue;
        reported.add(column);
        errors.push({ line, column, message: empty ? 'required, but empty' : issue.message });
      }
      continue;
    }
    const row = parsed.data;
    const rowErrors: RowError[] = [];
    const firstId = lineOfId.get(row.person_id);
    if (firstId !== undefined)
      rowErrors.push({
        line,
        column: 'person_id',
        message: `"${row.person_id}" is already on line ${firstId}`,
      });
    else lineOfId.set(row.person_id, line);
    const firstEmail = lineOfEmail.get(row.email);
    if (firstEmail !== undefined)
      rowErrors.push({ line, column: 'email', message: `"${row.email}" is already on line ${firstEmail}` });
    else lineOfEmail.set(row.email, line);
    if ((row.left_on === undefined) !== (row.successor_id === undefined))
      rowErrors.push({
        line,
        column: row.left_on === undefined ? 'left_on' : 'successor_id',
        message: 'a departure needs both left_on and successor_id',
      });
    if (row.successor_id !== undefined && row.successor_id === row.person_id)
      rowErrors.push({ line, column: 'successor_id', message: 'a person cannot succeed themselves' });
    if (!directory.find(row.org_id)) {
      rowErrors.push({ line, column: 'org_id', message: `no organisation "${row.org_id}" in the directory` });
    }
    if (rowErrors.length) {
      errors.push(...rowErrors);
      continue;
    }
    const person = PersonSchema.safeParse(
      personFromEntry(directory, {
        id: row.person_id,
        name: row.full_name,
        orgId: row.org_id,
        role: row.role,
        rank: row.rank,
        unitCode: row.unit_code,
        title: row.title,
      }),
      english,
    );
    if (!person.success) {
      for (const issue of person.error.issues)
        errors.push({ line, column: COLUMN_OF[issue.path.join('.')], message: issue.message });
      continue;
    }
    rows.push({
      line,
      person: person.data,
      email: row.email,
      ...(row.left_on && row.successor_id
        ? { departure: { leftOn: row.left_on, successorId: row.successor_id } }
        : {}),
    });
  }
  return errors.length ? { ok: false, errors } : { ok: true, rows };
}

/** `people.csv line 7, role: Invalid option…` */
export function formatRowError(file: string, error: RowError): string {
  return `${file} line ${error.line}${error.column ? `, ${error.column}` : ''}: ${error.message}`;
}
