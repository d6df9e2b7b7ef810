import { randomUUID } from 'node:crypto';
import { loadDirectory, savePeople } from '../../lambdas/adapters/directory-store';
import { personFromEntry, type Role } from '../../lambdas/core/domain/directory';
import { stack } from '../support/api';
import { authorize, draft, get, issueAs, post, signAs, type View } from '../support/flow';
import {
  COLUMN_ROLES,
  consumes,
  type DocumentState,
  INCOMING_STATES,
  MATRIX,
  type MatrixRoute,
  OUTGOING_STATES,
  PERSONAS,
  type Persona,
  parseRow,
} from './matrix';

/*
 * The documents and people the authorization matrix (matrix.ts) is run against, made once per run on the
 * shared local stack, in organisations no other test uses: a department that sends, one unrelated to
 * everything, and communes that receive. Each organisation gets a team: a leader (its head), a
 * specialist, a clerk, an auditor and an administrator.
 */

export const SENDER = 'so-khoa-hoc-cong-nghe';
export const OTHER = 'so-du-lich';
/** Where forwarded and consumed sends go: no team, nobody reads it. */
export const SINK = 'xa-my-duc';
/** Communes that receive, one per incoming state and one per record a successful step consumes. */
const RECIPIENT_POOL = [
  'xa-o-dien',
  'xa-hoai-duc',
  'xa-duong-hoa',
  'xa-son-dong',
  'xa-an-khanh',
  'xa-quoc-oai',
  'xa-kieu-phu',
  'xa-hung-dao',
  'xa-phu-cat',
  'xa-thach-that',
  'xa-ha-bang',
  'xa-tay-phuong',
  'xa-phu-nghia',
  'xa-xuan-mai',
  'xa-quang-bi',
  'xa-hoa-phu',
  'xa-thanh-oai',
  'xa-binh-minh',
  'xa-tam-hung',
  'xa-dan-hoa',
  'xa-thuong-tin',
  'xa-hong-van',
  'xa-thuong-phuc',
  'xa-chuong-duong',
  'xa-phu-xuyen',
  'xa-phuong-duc',
  'xa-chuyen-my',
  'xa-dai-xuyen',
  'xa-van-dinh',
  'xa-ung-thien',
];

export type Team = Readonly<Record<Role, string>> & { readonly orgId: string };

/** A document (or a recipient's record of it) in one state, and what the matrix's requests need of it. */
export interface Subject {
  readonly state: DocumentState;
  readonly id: string;
  /** The organisation whose document or record it is. */
  readonly own: Team;
  /** An event of the own organisation's share of the log, for the transparency proof. */
  readonly seq: number;
  /** A prepared and authorized signature (leader) or seal (clerk) of the own organisation, if any. */
  readonly requestId?: string;
}

export interface World {
  readonly sender: Team;
  readonly other: Team;
  /** A spare person of the sender's organisation whom the people routes act on. */
  readonly spare: string;
  readonly subjects: ReadonlyMap<DocumentState, Subject>;
  /** Fresh subjects for the cells whose success consumes the state, by `state route column`. */
  readonly consumables: ReadonlyMap<string, Subject>;
}

const ROLES: readonly Role[] = ['leader', 'specialist', 'clerk', 'auditor', 'admin'];

/** Writes people into the directory as the directory loader would (the operator's credentials). */
async function people(entries: readonly { id: string; orgId: string; role: Role }[]): Promise<void> {
  Object.assign(process.env, stack().environment);
  const directory = await loadDirectory();
  await savePeople(
    entries.map(({ id, orgId, role }) =>
      personFromEntry(directory, {
        id,
        name: `Ma Trận ${id}`,
        orgId,
        role,
        ...(role === 'leader' ? { rank: 'head' as const } : {}),
      }),
    ),
  );
}

/** The team of an organisation: its head, a specialist, a clerk, an auditor, an administrator. */
async function team(key: string, orgId: string): Promise<Team> {
  const ids = Object.fromEntries(ROLES.map((role) => [role, `m-${key}-${role}`])) as Record<Role, string>;
  await people(ROLES.map((role) => ({ id: ids[role], orgId, role })));
  return { ...ids, orgId };
}

export const consumableKey = (state: DocumentState, route: MatrixRoute, persona: Persona) =>
  `${state} ${route} ${persona}`;

/** The cells whose expected success consumes their subject's state: each needs a subject of its own. */
export function consumingCells(): { state: DocumentState; route: MatrixRoute; persona: Persona }[] {
  const cells: { state: DocumentState; route: MatrixRoute; persona: Persona }[] = [];
  for (const [route, rows] of Object.entries(MATRIX) as [MatrixRoute, Readonly<Record<string, string>>][]) {
    for (const [state, text] of Object.entries(rows)) {
      const statuses = parseRow(text);
      PERSONAS.forEach((persona, i) => {
        if (consumes(route, state, statuses[i] ?? 0))
          cells.push({ state: state as DocumentState, route, persona });
      });
    }
  }
  return cells;
}

/** The seq of the first event of `orgId`'s share that it wrote, as an auditor reads the log. */
async function firstEventOf(auditor: string, id: string, orgId: string): Promise<number> {
  const view = await get(auditor, `/api/documents/${id}`);
  const event = (view.log as View[]).find((e) => e.orgId === orgId);
  if (!event) throw new Error(`no event of ${orgId} in ${id}`);
  return event.seq as number;
}

const DEADLINE = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);

/** Builds everything the matrix runs against. */
export async function buildWorld(log: (line: string) => void = () => undefined): Promise<World> {
  const started = Date.now();
  const sender = await team('skhcn', SENDER);
  const other = await team('sdl', OTHER);
  const spare = 'm-skhcn-spare';
  await people([{ id: spare, orgId: SENDER, role: 'specialist' }]);

  const consuming = consumingCells();
  const incomingNeeds = new Map<DocumentState, number>();
  for (const cell of consuming)
    if ((INCOMING_STATES as readonly string[]).includes(cell.state))
      incomingNeeds.set(cell.state, (incomingNeeds.get(cell.state) ?? 0) + 1);

  // Recipient teams: one per incoming state (the shared record), one per consumed record.
  const pool = [...RECIPIENT_POOL];
  const take = async (label: string) => {
    const orgId = pool.shift();
    if (!orgId) throw new Error('the recipient pool is too small for the matrix');
    return team(`${label}-${orgId.slice(3)}`, orgId);
  };
  const recipients = new Map<DocumentState, Team>();
  for (const state of INCOMING_STATES) recipients.set(state, await take('r'));
  const spareRecipients = new Map<DocumentState, Team[]>();
  for (const [state, n] of incomingNeeds) {
    const teams: Team[] = [];
    for (let i = 0; i < n; i++) teams.push(await take('c'));
    spareRecipients.set(state, teams);
  }

  const signers = { drafter: sender.specialist, approver: sender.leader, signer: sender.leader };
  const s = sender;
  const drafted = () => draft({ drafter: s.specialist, title: `Ma trận quyền ${randomUUID().slice(0, 8)}` });
  const submitted = async () => {
    const id = await drafted();
    await post(s.specialist, `/api/documents/${id}/submit`);
    return id;
  };
  const approved = async () => {
    const id = await submitted();
    await post(s.leader, `/api/documents/${id}/approve`);
    return id;
  };
  const signedDoc = async () => {
    const id = await approved();
    await signAs(signers.signer, id);
    return id;
  };
  const issuedDoc = async () => {
    const id = await signedDoc();
    await issueAs(s.clerk, id);
    return id;
  };
  /** A prepared signature of the leader (or seal of the clerk), authorized but not made. */
  const authorizedRequest = async (who: string, path: string) => {
    const prepared = await post(who, path);
    await authorize(who, [prepared.requestId]);
    return prepared.requestId as string;
  };

  const subjects = new Map<DocumentState, Subject>();
  const consumables = new Map<string, Subject>();
  const outgoing = (state: DocumentState, id: string, requestId?: string): Subject => ({
    state,
    id,
    own: sender,
    seq: 1,
    ...(requestId ? { requestId } : {}),
  });

  const makeOutgoing = async (state: DocumentState, forRoute?: MatrixRoute): Promise<Subject> => {
    switch (state) {
      case 'AWAITING_CONTENT': {
        const created = await post(s.specialist, '/api/documents', {
          title: 'Ma trận quyền: chờ tệp',
          docType: 'quyet-dinh',
        });
        return outgoing(state, created.id);
      }
      case 'DRAFT':
        return outgoing(state, await drafted());
      case 'UNDER_REVIEW':
        return outgoing(state, await submitted());
      case 'SUBMITTED_TO_SIGNER': {
        const id = await approved();
        const requestId =
          forRoute === undefined || forRoute === 'POST /api/documents/{id}/sign'
            ? await authorizedRequest(s.leader, `/api/documents/${id}/signature-requests`)
            : undefined;
        return outgoing(state, id, requestId);
      }
      case 'SIGNED': {
        const id = await signedDoc();
        const requestId =
          forRoute === undefined || forRoute === 'POST /api/documents/{id}/issue'
            ? await authorizedRequest(s.clerk, `/api/documents/${id}/issue-requests`)
            : undefined;
        return outgoing(state, id, requestId);
      }
      case 'ISSUED':
        return outgoing(state, await issuedDoc());
      case 'SENT': {
        const id = await issuedDoc();
        await post(s.clerk, `/api/documents/${id}/send`, { recipients: [SINK] });
        return outgoing(state, id);
      }
      default:
        throw new Error(`no way to make a fresh ${state}`);
    }
  };

  // Outgoing states, shared.
  for (const state of OUTGOING_STATES) {
    if (state === 'SENT' || state === 'RECALLED' || state === 'REPLACED') continue;
    subjects.set(state, await makeOutgoing(state));
  }
  // Replaced by a document of its own that names it, once that one is sent.
  const replaced = await issuedDoc();
  const replacement = await draft({
    drafter: s.specialist,
    title: `Ma trận quyền: thay thế ${randomUUID().slice(0, 8)}`,
    replaces: replaced,
  });
  await post(s.specialist, `/api/documents/${replacement}/submit`);
  await post(s.leader, `/api/documents/${replacement}/approve`);
  await signAs(signers.signer, replacement);
  await issueAs(s.clerk, replacement);
  await post(s.clerk, `/api/documents/${replacement}/send`, { recipients: [SINK] });
  subjects.set('REPLACED', outgoing('REPLACED', replaced));
  log(`  outgoing states ready (${Math.round((Date.now() - started) / 1000)} s)`);

  // The document every recipient team receives: SENT for the sender, ARRIVED and on for the recipients.
  const everyRecipient = [...recipients.values(), ...[...spareRecipients.values()].flat()];
  const delivered = await issuedDoc();
  await post(s.clerk, `/api/documents/${delivered}/send`, {
    recipients: everyRecipient.filter((t) => t !== recipients.get('in:RECALLED')).map((t) => t.orgId),
  });
  subjects.set('SENT', outgoing('SENT', delivered));
  const recalled = await issuedDoc();
  const recalledTeam = recipients.get('in:RECALLED');
  if (!recalledTeam) throw new Error('no team for recalled records');
  await post(s.clerk, `/api/documents/${recalled}/send`, { recipients: [recalledTeam.orgId] });
  await post(s.leader, `/api/documents/${recalled}/recall`, { reason: 'Ma trận quyền: thu hồi' });
  subjects.set('RECALLED', outgoing('RECALLED', recalled));

  // Each recipient's record taken to its state.
  const advance = async (state: DocumentState, r: Team, id: string) => {
    const register = () => post(r.clerk, `/api/documents/${id}/register`);
    const assign = () =>
      post(r.leader, `/api/documents/${id}/assign`, {
        lead: r.specialist,
        deadline: DEADLINE,
        note: 'Ma trận',
      });
    switch (state) {
      case 'in:ARRIVED':
      case 'in:RECALLED':
        return;
      case 'in:RETURNED':
        await post(r.clerk, `/api/documents/${id}/return`, { reason: 'Ma trận: trả lại' });
        return;
      case 'in:PRESENTED':
        await register();
        return;
      case 'in:ASSIGNED':
        await register();
        await assign();
        return;
      case 'in:IN_PROGRESS':
        await register();
        await assign();
        await post(r.specialist, `/api/documents/${id}/start`);
        return;
      case 'in:RESOLVED':
        await register();
        await assign();
        await post(r.specialist, `/api/documents/${id}/resolve`, { note: 'Ma trận: xong' });
        return;
      case 'in:FORWARDED':
        await register();
        await post(r.clerk, `/api/documents/${id}/forward`, { to: SINK });
        return;
      default:
        throw new Error(`not an incoming state: ${state}`);
    }
  };
  const incoming = async (state: DocumentState, r: Team): Promise<Subject> => {
    const id = state === 'in:RECALLED' ? recalled : delivered;
    await advance(state, r, id);
    return { state, id, own: r, seq: await firstEventOf(s.auditor, id, r.orgId) };
  };
  for (const state of INCOMING_STATES) {
    const r = recipients.get(state);
    if (r) subjects.set(state, await incoming(state, r));
  }
  const spares = new Map([...spareRecipients].map(([state, teams]) => [state, [...teams]]));
  for (const cell of consuming) {
    const key = consumableKey(cell.state, cell.route, cell.persona);
    if ((INCOMING_STATES as readonly string[]).includes(cell.state)) {
      const r = spares.get(cell.state)?.shift();
      if (!r) throw new Error(`no spare recipient for ${key}`);
      consumables.set(key, await incoming(cell.state, r));
    } else consumables.set(key, await makeOutgoing(cell.state, cell.route));
  }
  log(
    `  ${subjects.size} states and ${consumables.size} consumed subjects ready (${Math.round((Date.now() - started) / 1000)} s)`,
  );
  return { sender, other, spare, subjects, consumables };
}

/** The person a column speaks for (undefined: anonymous), for a subject owned by `own`. */
export function personaUser(world: World, own: Team, persona: Persona): string | undefined {
  const [side, role] = COLUMN_ROLES[persona];
  if (side === 'anonymous' || !role) return undefined;
  return side === 'own' ? own[role] : world.other[role];
}
