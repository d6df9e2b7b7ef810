// Shared fixtures of the domain and log unit tests (not a test file itself).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Actor } from '../../lambdas/core/domain/actor';
import type { Delegation } from '../../lambdas/core/domain/capacity';
import type { Decision } from '../../lambdas/core/domain/decision';
import { type Position, parseDirectory } from '../../lambdas/core/domain/directory';
import type { EventDraft } from '../../lambdas/core/domain/events';
import { type NumberingSeries, vietnamCalendarDate } from '../../lambdas/core/domain/numbering';
import {
  decideOutgoing,
  type OutgoingCommand,
  type OutgoingDocument,
} from '../../lambdas/core/domain/outgoing';

export const unitsCsv = readFileSync(new URL('../../data/hanoi-units.csv', import.meta.url), 'utf8');
export const departmentsCsv = readFileSync(
  new URL('../../data/hanoi-departments.csv', import.meta.url),
  'utf8',
);
export const directory = parseDirectory(unitsCsv, departmentsCsv);

/** 09:00 on Monday 5 January 2026, Vietnam time. */
export const NOW = new Date('2026-01-05T02:00:00.000Z');
export const later = (minutes: number, from = NOW) => new Date(from.getTime() + minutes * 60_000);

export const sha = (text: string) => createHash('sha256').update(text).digest('hex');

function actor(id: string, name: string, position: Position, delegations?: Delegation[]): Actor {
  return delegations ? { id, name, position, delegations } : { id, name, position };
}

const CITY = 'ubnd-hanoi';
const WARD = 'phuong-ba-dinh';
const DEPT = 'so-noi-vu';
const OFFICE = 'van-phong-ubnd';

export const people = {
  // City People's Committee
  chairman: actor('u-chairman', 'Trần Sỹ Thanh', {
    orgId: CITY,
    role: 'leader',
    rank: 'head',
    title: 'Chủ tịch',
  }),
  viceChairman: actor('u-vice', 'Nguyễn Mạnh Quyền', {
    orgId: CITY,
    role: 'leader',
    rank: 'deputy',
    title: 'Phó Chủ tịch',
  }),
  cityClerk: actor('u-city-clerk', 'Lê Thị Văn', { orgId: CITY, role: 'clerk', title: 'Văn thư' }),
  citySpecialist: actor('u-city-spec', 'Phạm Văn Soạn', {
    orgId: CITY,
    role: 'specialist',
    title: 'Chuyên viên',
    unitCode: 'KGVX',
  }),
  otherCitySpecialist: actor('u-city-spec2', 'Đỗ Thị Hai', {
    orgId: CITY,
    role: 'specialist',
    title: 'Chuyên viên',
  }),
  auditor: actor('u-auditor', 'Kiểm Tra Viên', { orgId: CITY, role: 'auditor', title: 'Kiểm soát viên' }),
  admin: actor('u-admin', 'Quản Trị', { orgId: CITY, role: 'admin', title: 'Quản trị hệ thống' }),
  // City office
  officeChief: actor('u-office-chief', 'Cù Ngọc Trang', {
    orgId: OFFICE,
    role: 'leader',
    rank: 'head',
    title: 'Chánh Văn phòng',
  }),
  // Ward Ba Đình
  wardChairman: actor('u-ward-chair', 'Hoàng Văn Phường', {
    orgId: WARD,
    role: 'leader',
    rank: 'head',
    title: 'Chủ tịch',
  }),
  wardVice: actor('u-ward-vice', 'Vũ Thị Phó', {
    orgId: WARD,
    role: 'leader',
    rank: 'deputy',
    title: 'Phó Chủ tịch',
  }),
  wardClerk: actor('u-ward-clerk', 'Ngô Thị Thư', { orgId: WARD, role: 'clerk', title: 'Văn thư' }),
  wardUnitHead: actor('u-ward-unit-head', 'Đinh Văn Trưởng', {
    orgId: WARD,
    role: 'leader',
    rank: 'head',
    title: 'Trưởng phòng Văn hóa - Xã hội',
    unitCode: 'VHXH',
  }),
  wardSpecialist: actor('u-ward-spec', 'Bùi Văn Xử', {
    orgId: WARD,
    role: 'specialist',
    title: 'Chuyên viên',
    unitCode: 'VHXH',
  }),
  wardOtherSpecialist: actor('u-ward-spec2', 'Lý Thị Khác', {
    orgId: WARD,
    role: 'specialist',
    title: 'Chuyên viên',
    unitCode: 'KT',
  }),
  // Department of Home Affairs
  director: actor('u-director', 'Trần Đình Cảnh', {
    orgId: DEPT,
    role: 'leader',
    rank: 'head',
    title: 'Giám đốc',
  }),
  deputyDirector: actor('u-deputy-director', 'Nguyễn Phó Sở', {
    orgId: DEPT,
    role: 'leader',
    rank: 'deputy',
    title: 'Phó Giám đốc',
  }),
  actingDirector: actor('u-acting-director', 'Quyền Giám Đốc', {
    orgId: DEPT,
    role: 'leader',
    rank: 'acting-head',
    title: 'Phó Giám đốc',
  }),
  deptClerk: actor('u-dept-clerk', 'Mai Văn Thư', { orgId: DEPT, role: 'clerk', title: 'Văn thư' }),
  deptSpecialist: actor('u-dept-spec', 'Tạ Chuyên Viên', {
    orgId: DEPT,
    role: 'specialist',
    title: 'Chuyên viên',
  }),
  deptUnitHead: actor('u-dept-unit-head', 'Trưởng Phòng Sở', {
    orgId: DEPT,
    role: 'leader',
    rank: 'head',
    title: 'Trưởng phòng Tổ chức biên chế',
    unitCode: 'TCBC',
  }),
} satisfies Record<string, Actor>;

export const ctx = { directory };

/** Runs outgoing commands one after another, collecting the events and the last numbering series. */
export function runOutgoing(
  steps: readonly [OutgoingCommand, Actor, Date?][],
  start?: { doc?: OutgoingDocument; series?: NumberingSeries },
): {
  doc: OutgoingDocument;
  events: EventDraft[];
  series?: NumberingSeries;
  decisions: Decision<OutgoingDocument>[];
} {
  let doc = start?.doc;
  let series = start?.series;
  const events: EventDraft[] = [];
  const decisions: Decision<OutgoingDocument>[] = [];
  for (const [command, who, at] of steps) {
    const d = decideOutgoing(doc, command, who, at ?? NOW, { directory, series });
    decisions.push(d);
    doc = d.state;
    if (d.series) series = d.series;
    events.push(...d.events);
  }
  if (!doc) throw new Error('no steps');
  return series ? { doc, events, series, decisions } : { doc, events, decisions };
}

export function createCommand(
  overrides: Partial<Extract<OutgoingCommand, { type: 'create' }>> = {},
): OutgoingCommand {
  return {
    type: 'create',
    documentId: 'doc-1',
    typeId: 'quyet-dinh',
    subject: 'Về việc tổ chức Tết Nguyên đán Bính Ngọ 2026',
    urgency: 'normal',
    recipients: [
      { to: 'phuong-ba-dinh', purpose: 'action' },
      { to: 'so-noi-vu', purpose: 'action' },
      { to: 'xa-soc-son', purpose: 'information' },
    ],
    documentSha256: sha('draft v1'),
    ...overrides,
  };
}

/** The commands from creation to a signed city decision, with the actors. */
export function toSigned(create = createCommand()): [OutgoingCommand, Actor][] {
  return [
    [create, people.citySpecialist],
    [{ type: 'submit' }, people.citySpecialist],
    [{ type: 'approve', signerId: people.viceChairman.id }, people.chairman],
    [
      {
        type: 'sign',
        capacity: { kind: 'KT', onBehalfOfCollective: true },
        documentSha256: sha('signed v1'),
      },
      people.viceChairman,
    ],
  ];
}

/** The issue command as a clerk would send it after stamping the preview (number 1 of the year). */
export function issueCommand(number = 1, at = NOW): OutgoingCommand {
  return {
    type: 'issue',
    number,
    issuedOn: vietnamCalendarDate(at),
    documentSha256: sha(`issued ${number}`),
  };
}

/** A city decision created, signed, issued and sent. */
export function sentDocument(): { doc: OutgoingDocument; events: EventDraft[]; series?: NumberingSeries } {
  return runOutgoing([
    ...toSigned(),
    [issueCommand(), people.cityClerk],
    [{ type: 'send' }, people.cityClerk],
  ]);
}
