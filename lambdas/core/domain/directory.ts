import * as z from 'zod';
import { DomainError } from '../errors';
import { issueMessage, messageText } from '../i18n/messages';
import { OrgIdSchema, PersonIdSchema, storable } from './common';

/**
 * The organisations that send and receive documents, and the people who hold positions in them.
 *
 * Identifiers (stable, unique, URL-safe):
 * - the city People's Committee: `ubnd-hanoi`;
 * - an agency (Văn phòng, Thanh tra, the 13 sở): its `code` in `hanoi-departments.csv` (`so-noi-vu`);
 * - a ward or commune People's Committee: the slug of `name_ascii` in `hanoi-units.csv`: lower-cased,
 *   every run of characters other than `a-z0-9` replaced by one dash, no leading or trailing dash
 *   (`Phuong Ba Dinh` → `phuong-ba-dinh`, `Phuong Van Mieu - Quoc Tu Giam` → `phuong-van-mieu-quoc-tu-giam`,
 *   `Xa Soc Son` → `xa-soc-son`). The prefix keeps a ward and a commune of the same name apart. Should two
 *   units ever give the same slug, parsing fails rather than inventing a suffix, so that no id silently
 *   depends on which other units exist. The official statistics code stays available as `code`.
 */

export const CITY_ID = 'ubnd-hanoi';

/** Province code of Hà Nội in the national list of administrative units. */
const HANOI_PROVINCE_CODE = '01';

export const OrganisationKindSchema = z.enum(['city', 'department', 'ward', 'commune']);
export type OrganisationKind = z.infer<typeof OrganisationKindSchema>;

/**
 * How an organisation takes decisions (D30 Art.13): a People's Committee works collectively (its head signs
 * `TM.` the committee); an agency works under its head (chế độ thủ trưởng).
 */
export const GovernanceSchema = z.enum(['collective', 'head']);
export type Governance = z.infer<typeof GovernanceSchema>;

export const OrganisationSchema = z.object({
  id: OrgIdSchema,
  /** Official statistics code for wards/communes (`00004`), province code `01` for the city, the CSV code for agencies. */
  code: z.string().min(1),
  /** Full name of the organisation (the issuer), e.g. `Ủy ban nhân dân phường Ba Đình`. */
  name: z.string().min(1),
  shortName: z.string().min(1),
  kind: OrganisationKindSchema,
  parentId: OrgIdSchema.optional(),
  /** Abbreviation of the issuer in document symbols: `UBND`, `SNV`, `VP`. */
  issuerCode: z.string().min(1).max(13),
  /** Place name of the date line (D30 PL I §I.4): `Hà Nội` for city bodies, the ward/commune's own name otherwise. */
  placeName: z.string().min(1),
  /** The administrative unit a ward/commune committee governs, e.g. `Phường Ba Đình`. */
  areaName: z.string().min(1).optional(),
  governance: GovernanceSchema,
  /** Name of the collective body a head signs for with `TM.` (only when governance is collective). */
  collectiveName: z.string().min(1).optional(),
  /** Title of the head (`Chủ tịch`, `Giám đốc`, `Chánh Văn phòng`, `Chánh Thanh tra`). */
  headTitle: z.string().min(1),
  /** Title of a deputy head (`Phó Chủ tịch`, `Phó Giám đốc`…). */
  deputyTitle: z.string().min(1),
});
export type Organisation = z.infer<typeof OrganisationSchema>;

/** Recipient groups a sender may name instead of listing organisations. */
export const RECIPIENT_GROUPS = {
  /** Every ward and commune People's Committee (126). */
  'all-wards': (org: Organisation) => org.kind === 'ward' || org.kind === 'commune',
  /** The 15 city agencies. */
  'all-departments': (org: Organisation) => org.kind === 'department',
} as const satisfies Record<string, (org: Organisation) => boolean>;
export type RecipientGroup = keyof typeof RECIPIENT_GROUPS;

export function isRecipientGroup(name: string): name is RecipientGroup {
  return Object.hasOwn(RECIPIENT_GROUPS, name);
}

/** Why a recipient receives the document (nơi nhận). The file copy (Lưu: VT) is not a recipient. */
export const RecipientPurposeSchema = z.enum(['action', 'supervision', 'information']);
export type RecipientPurpose = z.infer<typeof RecipientPurposeSchema>;

/** A line of the recipients list as the drafter writes it: an organisation id or a group name. */
export const RecipientTargetSchema = z.object({
  to: z.string().min(1).max(80).describe('Organisation id or group name (all-wards, all-departments)'),
  purpose: RecipientPurposeSchema.default('action'),
});
export type RecipientTarget = z.infer<typeof RecipientTargetSchema>;

/** A resolved recipient organisation. */
export const RecipientSchema = z.object({ orgId: OrgIdSchema, purpose: RecipientPurposeSchema });
export type Recipient = z.infer<typeof RecipientSchema>;

const PURPOSE_STRENGTH: Record<RecipientPurpose, number> = { action: 3, supervision: 2, information: 1 };

export class Directory {
  readonly organisations: readonly Organisation[];
  readonly #byId: ReadonlyMap<string, Organisation>;

  constructor(organisations: readonly Organisation[]) {
    const byId = new Map<string, Organisation>();
    for (const org of organisations) {
      if (isRecipientGroup(org.id)) throw new Error(`organisation id ${org.id} is a group name`);
      if (byId.has(org.id)) throw new Error(`duplicate organisation id ${org.id}`);
      byId.set(org.id, org);
    }
    this.organisations = organisations;
    this.#byId = byId;
  }

  find(id: string): Organisation | undefined {
    return this.#byId.get(id);
  }

  /** The organisation, or a 404 naming the id. */
  get(id: string): Organisation {
    const org = this.#byId.get(id);
    if (!org) throw new DomainError('not_found', 404, { what: messageText('what_organisation', { id }) });
    return org;
  }

  get city(): Organisation {
    return this.get(CITY_ID);
  }

  members(group: RecipientGroup): Organisation[] {
    return this.organisations.filter(RECIPIENT_GROUPS[group]);
  }

  ofKind(kind: OrganisationKind): Organisation[] {
    return this.organisations.filter((o) => o.kind === kind);
  }
}

/**
 * Resolves a recipients list (organisation ids and group names) into organisation ids, de-duplicated, in
 * first-mention order. An unknown id or group is rejected (422); naming the sender itself is rejected (422);
 * a group the sender belongs to simply leaves the sender out (a ward writing to `all-wards` means the others).
 */
export function resolveRecipients(
  directory: Directory,
  senderId: string,
  targets: readonly string[],
  field = 'to',
): string[] {
  return resolveRecipientList(
    directory,
    senderId,
    targets.map((to) => ({ to, purpose: 'action' as const })),
    field,
  ).map((r) => r.orgId);
}

/**
 * Like {@link resolveRecipients}, keeping each recipient's purpose. An organisation reached through several
 * lines keeps the strongest purpose (action over supervision over information) at its first position.
 */
export function resolveRecipientList(
  directory: Directory,
  senderId: string,
  targets: readonly RecipientTarget[],
  /** The request's field the list came in, named in a refusal (`recipients[2]`). */
  field = 'recipients',
): Recipient[] {
  const sender = directory.get(senderId);
  const resolved = new Map<string, RecipientPurpose>();
  for (const [index, { to, purpose }] of targets.entries()) {
    const where = targets.length > 1 ? `${field}[${index}]` : field;
    let ids: string[];
    if (isRecipientGroup(to)) {
      ids = directory
        .members(to)
        .map((o) => o.id)
        .filter((id) => id !== senderId);
    } else {
      if (!directory.find(to)) throw new DomainError('recipient_unknown', 422, { id: to, field: where });
      if (to === senderId)
        throw new DomainError('recipient_is_sender', 422, { orgName: sender.name, field: where });
      ids = [to];
    }
    for (const id of ids) {
      const before = resolved.get(id);
      if (before === undefined || PURPOSE_STRENGTH[purpose] > PURPOSE_STRENGTH[before])
        resolved.set(id, purpose);
    }
  }
  if (resolved.size === 0) throw new DomainError('recipients_empty', 422);
  return [...resolved].map(([orgId, purpose]) => ({ orgId, purpose }));
}

// ---------------------------------------------------------------------------------------------------------
// People

export const RoleSchema = z.enum(['leader', 'specialist', 'clerk', 'auditor', 'admin']);
export type Role = z.infer<typeof RoleSchema>;

export const LeaderRankSchema = z.enum(['head', 'deputy', 'acting-head']);
export type LeaderRank = z.infer<typeof LeaderRankSchema>;

/** Code of an internal unit (phòng, ban) used in công văn symbols and assignments, e.g. `VX`, `KT`. */
export const UnitCodeSchema = z
  .string()
  .min(1)
  .max(16)
  .regex(/^[\p{Lu}\p{Nd}]+(?:-[\p{Lu}\p{Nd}]+)*$/u, 'upper-case letters and digits, e.g. VX, KTTH');

/**
 * A position in one organisation. A leader has a rank; with `unitCode` the leader heads (or deputises for)
 * an internal unit (trưởng phòng), otherwise the organisation itself. A specialist may belong to a unit.
 */
export const PositionSchema = z
  .object({
    orgId: OrgIdSchema,
    role: RoleSchema,
    /** Official title in Vietnamese: `Chủ tịch`, `Phó Giám đốc`, `Chuyên viên`, `Văn thư`. */
    title: storable(z.string().trim().min(1).max(120)),
    rank: LeaderRankSchema.optional(),
    unitCode: UnitCodeSchema.optional(),
  })
  .superRefine((p, ctx) => {
    if (p.role === 'leader' && !p.rank)
      ctx.addIssue({ code: 'custom', path: ['rank'], ...issueMessage('invalid_leader_needs_rank') });
    if (p.role !== 'leader' && p.rank)
      ctx.addIssue({ code: 'custom', path: ['rank'], ...issueMessage('invalid_rank_only_leaders') });
  });
export type Position = z.infer<typeof PositionSchema>;

export const PersonSchema = z.object({
  id: PersonIdSchema,
  name: z.string().trim().min(1).max(120),
  position: PositionSchema,
});
export type Person = z.infer<typeof PersonSchema>;

/** The usual title of a position, for seeding and forms (`Chủ tịch`, `Phó Giám đốc`, `Chuyên viên`…). */
export function defaultTitle(org: Organisation, role: Role, rank?: LeaderRank): string {
  switch (role) {
    case 'leader':
      return rank === 'deputy' ? org.deputyTitle : org.headTitle;
    case 'specialist':
      return 'Chuyên viên';
    case 'clerk':
      return 'Văn thư';
    case 'auditor':
      return 'Kiểm soát viên';
    case 'admin':
      return 'Quản trị hệ thống';
  }
}

/** A person as an operator lists them: the title may be left out for the usual one. */
export interface PersonEntry {
  readonly id: string;
  readonly name: string;
  readonly orgId: string;
  readonly role: Role;
  readonly rank?: LeaderRank;
  readonly unitCode?: string;
  readonly title?: string;
}

/** The person an entry describes, in an organisation of the directory (a 404 if it is not there). */
export function personFromEntry(directory: Directory, entry: PersonEntry): Person {
  const org = directory.get(entry.orgId);
  return {
    id: entry.id,
    name: entry.name,
    position: {
      orgId: org.id,
      role: entry.role,
      title: entry.title ?? defaultTitle(org, entry.role, entry.rank),
      ...(entry.rank ? { rank: entry.rank } : {}),
      ...(entry.unitCode ? { unitCode: entry.unitCode } : {}),
    },
  };
}

/** True when the person leads the organisation itself (not an internal unit). */
export function isOrganisationLeader(person: Person, orgId: string): boolean {
  return person.position.role === 'leader' && person.position.orgId === orgId && !person.position.unitCode;
}

// ---------------------------------------------------------------------------------------------------------
// Parsing the seed data

/** One CSV record and the line of the file it starts on (1-based), so errors can point at it. */
export interface CsvRow {
  readonly line: number;
  readonly fields: string[];
}

/** A CSV that cannot be read as records at all (an unterminated quote), with the line where it starts. */
export class CsvSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

/**
 * Parses RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF, optional BOM) into records, each with the
 * line it starts on; blank lines are skipped but still counted, so line numbers match an editor's.
 */
export function parseCsvRows(text: string): CsvRow[] {
  const rows: CsvRow[] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) line++;
        field += c;
      }
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push({ line: rowLine, fields: row });
      row = [];
      field = '';
      line++;
      rowLine = line;
    } else field += c;
  }
  if (quoted)
    throw new CsvSyntaxError(`CSV ends inside the quoted field of the record on line ${rowLine}`, rowLine);
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push({ line: rowLine, fields: row });
  }
  return rows.filter((r) => !(r.fields.length === 1 && r.fields[0] === ''));
}

/** {@link parseCsvRows} without the line numbers. */
export function parseCsv(text: string): string[][] {
  return parseCsvRows(text).map((r) => r.fields);
}

function csvRecords(text: string, columns: readonly string[], file: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  if (!header) throw new Error(`${file}: empty`);
  const index = columns.map((c) => header.indexOf(c));
  const missing = columns.filter((_, k) => index[k] === -1);
  if (missing.length) throw new Error(`${file}: missing column(s) ${missing.join(', ')}`);
  return rows.map((r, n) => {
    if (r.length !== header.length)
      throw new Error(`${file} line ${n + 2}: ${r.length} fields, expected ${header.length}`);
    return Object.fromEntries(columns.map((c, k) => [c, (r[index[k] ?? -1] ?? '').trim()]));
  });
}

/** Removes Vietnamese diacritics (đ → d): `Phường Hòa Lạc` → `Phuong Hoa Lac`. */
export function toAscii(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D');
}

/** The id rule for wards and communes (see the module comment). */
export function slugify(ascii: string): string {
  return ascii
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * Units named after a person keep their full name in the date line (D30 PL I §I.4: units named after a
 * person, with a number or after a historical event are written in full). Only unambiguous cases are listed.
 */
const FULL_NAME_PLACES: ReadonlySet<string> = new Set(['Phường Hai Bà Trưng', 'Xã Trần Phú']);

const UNIT_PREFIX: Record<'ward' | 'commune', string> = { ward: 'Phường ', commune: 'Xã ' };

function lowerFirst(text: string): string {
  return text.charAt(0).toLocaleLowerCase('vi') + text.slice(1);
}

function agencyTitles(name: string, file: string): { headTitle: string; deputyTitle: string } {
  const head = name.startsWith('Sở ')
    ? 'Giám đốc'
    : name.startsWith('Văn phòng')
      ? 'Chánh Văn phòng'
      : name.startsWith('Thanh tra')
        ? 'Chánh Thanh tra'
        : undefined;
  if (!head) throw new Error(`${file}: cannot tell the head's title of "${name}"`);
  return { headTitle: head, deputyTitle: `Phó ${head}` };
}

/**
 * Builds the directory from the two seed files (their text; the caller reads them): the city People's
 * Committee, its agencies and its wards and communes, each a People's Committee issuing as `UBND`.
 */
export function parseDirectory(unitsCsv: string, departmentsCsv: string): Directory {
  const city: Organisation = {
    id: CITY_ID,
    code: HANOI_PROVINCE_CODE,
    name: 'Ủy ban nhân dân thành phố Hà Nội',
    shortName: 'UBND thành phố Hà Nội',
    kind: 'city',
    issuerCode: 'UBND',
    placeName: 'Hà Nội',
    areaName: 'Thành phố Hà Nội',
    governance: 'collective',
    collectiveName: 'Ủy ban nhân dân',
    headTitle: 'Chủ tịch',
    deputyTitle: 'Phó Chủ tịch',
  };

  const departments = csvRecords(departmentsCsv, ['code', 'name', 'short'], 'hanoi-departments.csv').map(
    (r): Organisation => ({
      id: OrgIdSchema.parse(r.code),
      code: r.code ?? '',
      name: r.name ?? '',
      shortName: r.short ?? '',
      kind: 'department',
      parentId: CITY_ID,
      issuerCode: r.short ?? '',
      placeName: 'Hà Nội',
      governance: 'head',
      ...agencyTitles(r.name ?? '', 'hanoi-departments.csv'),
    }),
  );

  const units = csvRecords(unitsCsv, ['code', 'name', 'kind', 'name_ascii'], 'hanoi-units.csv').map(
    (r, n): Organisation => {
      const where = `hanoi-units.csv line ${n + 2}`;
      const kind = r.kind;
      if (kind !== 'ward' && kind !== 'commune')
        throw new Error(`${where}: kind "${kind}" is not ward or commune`);
      const areaName = r.name ?? '';
      const prefix = UNIT_PREFIX[kind];
      if (!areaName.startsWith(prefix)) throw new Error(`${where}: a ${kind} name starts with "${prefix}"`);
      const ascii = r.name_ascii ?? '';
      if (toAscii(areaName) !== ascii)
        throw new Error(`${where}: name_ascii "${ascii}" does not match "${areaName}"`);
      const unitName = lowerFirst(areaName);
      return {
        id: OrgIdSchema.parse(slugify(ascii)),
        code: r.code ?? '',
        name: `Ủy ban nhân dân ${unitName}`,
        shortName: `UBND ${unitName}`,
        kind,
        parentId: CITY_ID,
        issuerCode: 'UBND',
        placeName: FULL_NAME_PLACES.has(areaName) ? areaName : areaName.slice(prefix.length),
        areaName,
        governance: 'collective',
        collectiveName: 'Ủy ban nhân dân',
        headTitle: 'Chủ tịch',
        deputyTitle: 'Phó Chủ tịch',
      };
    },
  );

  return new Directory([city, ...departments, ...units].map((o) => OrganisationSchema.parse(o)));
}

/**
 * Whom an administrator administers: the people of their own organisation and of the bodies under it (the
 * city's administrators, every agency, ward and commune; a ward's, that ward only). Never another
 * organisation's, so that an administrator of one ward cannot move, add or remove a person of another.
 */
export function administers(directory: Directory, adminOrgId: string, orgId: string): boolean {
  const seen = new Set<string>();
  for (let id: string | undefined = orgId; id !== undefined && !seen.has(id); ) {
    if (id === adminOrgId) return true;
    seen.add(id);
    id = directory.find(id)?.parentId;
  }
  return false;
}
