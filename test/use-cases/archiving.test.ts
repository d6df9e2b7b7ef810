// Archiving and the renewal sweep against in-memory ports, the clock moved rather than waited for. The
// integration test (test/integration/archive-timestamps.test.ts) does the same with the city TSA and real PDFs.
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../lambdas/core/domain/actor';
import type { Caller } from '../../lambdas/core/domain/caller';
import type { ArchiveTimestamp } from '../../lambdas/core/domain/events';
import type { ArchiveRenewals, ArchiveTimestamping, DueRenewal } from '../../lambdas/ports/archiving';
import { archive, renewArchives } from '../../lambdas/use-cases/archiving';
import { send } from '../../lambdas/use-cases/delivery';
import { createDraft, outgoingCommand, recordContent } from '../../lambdas/use-cases/drafts';
import { issue as makeIssue, requestIssue } from '../../lambdas/use-cases/issuing';
import { viewFor } from '../../lambdas/use-cases/read/document-view';
import { sign as makeSignature, requestSignature } from '../../lambdas/use-cases/signing';
import { authorizeAll } from '../support/authorize';
import { memoryPorts } from '../support/memory-ports';
import { directory, NOW, people } from '../unit/domain-fixtures';

const DAY_MINUTES = 24 * 60;
const callerOf = (actor: Actor): Caller => ({ actor, directory });
const chairman = callerOf(people.chairman);
const specialist = callerOf(people.citySpecialist);
const clerk = callerOf(people.cityClerk);

/** A TSA in memory: a line appended per timestamp; evidence for two years, renewal due 180 days before. */
function memoryArchiving(now: () => Date): ArchiveTimestamping & { count: number } {
  const port = {
    count: 0,
    async timestamp(pdf: Uint8Array) {
      port.count += 1;
      const time = now();
      const holdsUntil = new Date(time.getTime() + 730 * DAY_MINUTES * 60_000);
      const archiveTimestamp: ArchiveTimestamp = {
        time: time.toISOString(),
        holdsUntil: holdsUntil.toISOString(),
        renewBy: new Date(holdsUntil.getTime() - 180 * DAY_MINUTES * 60_000).toISOString(),
      };
      const line = new TextEncoder().encode(`\n%archive-timestamp ${archiveTimestamp.time}`);
      return { pdf: new Uint8Array([...pdf, ...line]), archiveTimestamp };
    },
  };
  return port;
}

class MemoryRenewals implements ArchiveRenewals {
  readonly entries = new Map<string, DueRenewal>();
  async due(until: string, limit: number) {
    return [...this.entries.values()]
      .filter((e) => e.renewBy <= until)
      .sort((a, b) => a.renewBy.localeCompare(b.renewBy))
      .slice(0, limit);
  }
  async schedule(renewal: DueRenewal) {
    this.entries.set(`${renewal.renewBy}#${renewal.documentId}`, renewal);
  }
  readonly files = new Map<string, string>();
  async recordFile(file: { sha256: string; documentId: string }) {
    this.files.set(file.sha256, file.documentId);
  }
  async forget(renewal: DueRenewal) {
    this.entries.delete(`${renewal.renewBy}#${renewal.documentId}`);
  }
}

async function setup() {
  const base = await memoryPorts(directory, Object.values(people), NOW);
  return { ...base, archiving: memoryArchiving(base.now), renewals: new MemoryRenewals() };
}
type Ports = Awaited<ReturnType<typeof setup>>;

async function sentDocument(ports: Ports): Promise<string> {
  const { id } = await createDraft(ports, specialist, {
    typeId: 'cong-van',
    subject: 'Về việc lưu trữ hồ sơ',
    urgency: 'normal',
    recipients: [],
    draftingUnitCode: 'KGVX',
  });
  ports.files.uploads.set(`uploads/${id}/draft.pdf`, new TextEncoder().encode('%PDF-1.7 lưu trữ'));
  await recordContent(ports, specialist, id);
  await outgoingCommand(ports, specialist, id, { type: 'submit' });
  await outgoingCommand(ports, chairman, id, { type: 'approve' });
  const signature = await requestSignature(ports, chairman, id, {});
  await authorizeAll(ports, chairman, [signature.requestId]);
  await makeSignature(ports, chairman, id, signature.requestId);
  const seal = await requestIssue(ports, clerk, id);
  await authorizeAll(ports, clerk, [seal.requestId]);
  await makeIssue(ports, clerk, id, seal.requestId);
  await send(ports, clerk, id, [{ to: people.wardClerk.position.orgId, purpose: 'action' }]);
  return id;
}

describe('archiving', () => {
  it("the clerk archives a sent document with a timestamp; the leader may not; it is offered as the clerk's action", async () => {
    const ports = await setup();
    const id = await sentDocument(ports);
    expect((await viewFor(ports, clerk, id)).actions).toContain('archive');
    expect((await viewFor(ports, chairman, id)).actions).not.toContain('archive');
    await expect(archive(ports, chairman, id)).rejects.toMatchObject({ code: 'forbidden_role', status: 403 });
    expect(ports.archiving.count).toBe(0);

    const sentSha = (await ports.documents.read(id)).document?.documentSha256;
    const view = await archive(ports, clerk, id);
    expect(view.state).toBe('ARCHIVED');
    const doc = (await ports.documents.read(id)).document;
    expect(doc?.documentSha256).not.toBe(sentSha);
    expect(ports.renewals.files.get(doc?.documentSha256 ?? '')).toBe(id);
    expect(doc?.archiveTimestamp?.time).toBe(ports.now().toISOString());
    expect(view.log.at(-1)?.type).toBe('archived');
    expect([...ports.renewals.entries.values()]).toEqual([
      { documentId: id, renewBy: doc?.archiveTimestamp?.renewBy },
    ]);

    // A retry whose answer was lost answers with the document, and timestamps nothing more.
    expect((await archive(ports, clerk, id)).state).toBe('ARCHIVED');
    expect(ports.archiving.count).toBe(1);
  });

  it('refuses a document not yet sent, before any timestamp is made', async () => {
    const ports = await setup();
    const { id } = await createDraft(ports, specialist, {
      typeId: 'cong-van',
      subject: 'Chưa gửi',
      urgency: 'normal',
      recipients: [],
      draftingUnitCode: 'KGVX',
    });
    ports.files.uploads.set(`uploads/${id}/draft.pdf`, new TextEncoder().encode('%PDF-1.7 nháp'));
    await recordContent(ports, specialist, id);
    await expect(archive(ports, clerk, id)).rejects.toMatchObject({ status: 409 });
    expect(ports.archiving.count).toBe(0);
  });

  it('the sweep renews when the clock reaches renewBy, as the clerk, and not before', async () => {
    const ports = await setup();
    const id = await sentDocument(ports);
    await archive(ports, clerk, id);
    const first = (await ports.documents.read(id)).document?.archiveTimestamp as ArchiveTimestamp;

    expect(await renewArchives(ports)).toEqual({ renewed: [], dropped: [], failed: [] });
    // Moved to a day after renewBy (550 days on): due.
    ports.advance(551 * DAY_MINUTES);
    const outcome = await renewArchives(ports);
    expect(outcome).toEqual({ renewed: [id], dropped: [], failed: [] });
    const after = (await ports.documents.read(id)).document;
    expect(after?.state).toBe('ARCHIVED');
    expect(after?.archiveTimestamp?.time).toBe(ports.now().toISOString());
    expect(after?.archiveTimestamp && after.archiveTimestamp.holdsUntil > first.holdsUntil).toBe(true);
    const log = await ports.documents.readLog(id);
    expect(log.at(-1)).toMatchObject({ type: 'archive-renewed', actor: { userId: people.cityClerk.id } });
    expect([...ports.renewals.entries.values()]).toEqual([
      { documentId: id, renewBy: after?.archiveTimestamp?.renewBy },
    ]);
    expect(ports.archiving.count).toBe(2);

    // Renewed already: the same sweep again does nothing.
    expect(await renewArchives(ports)).toEqual({ renewed: [], dropped: [], failed: [] });
    // An operator renews ahead with asOf.
    expect(
      (await renewArchives(ports, { asOf: new Date(after?.archiveTimestamp?.renewBy ?? 0) })).renewed,
    ).toEqual([id]);
  });

  it('drops a stale schedule entry (recalled after archiving) without a timestamp', async () => {
    const ports = await setup();
    const id = await sentDocument(ports);
    await archive(ports, clerk, id);
    await outgoingCommand(ports, chairman, id, { type: 'recall', reason: 'Ban hành nhầm' });
    ports.advance(600 * DAY_MINUTES);
    expect(await renewArchives(ports)).toEqual({ renewed: [], dropped: [id], failed: [] });
    expect(ports.renewals.entries.size).toBe(0);
    expect(ports.archiving.count).toBe(1);
  });
});
