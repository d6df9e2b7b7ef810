// Attachments in files of their own (D30 Appendix I) against in-memory ports: added and removed on the
// draft, each sealed at issue under the clerk's one authorization of the main seal, and served to
// recipients only once sealed.
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../lambdas/core/domain/actor';
import type { Caller } from '../../lambdas/core/domain/caller';
import type { DomainError } from '../../lambdas/core/errors';
import { renderError } from '../../lambdas/core/i18n/messages';
import { registerTable } from '../../lambdas/core/registers/table';
import {
  addAttachment,
  attachmentUrl,
  removeAttachment,
  startAttachmentUpload,
} from '../../lambdas/use-cases/attachments';
import { send } from '../../lambdas/use-cases/delivery';
import { createDraft, outgoingCommand, recordContent } from '../../lambdas/use-cases/drafts';
import { issue, requestIssue } from '../../lambdas/use-cases/issuing';
import { viewFor } from '../../lambdas/use-cases/read/document-view';
import { registerEntries } from '../../lambdas/use-cases/read/registers';
import { requestSignature, sign } from '../../lambdas/use-cases/signing';
import { authorizeAll } from '../support/authorize';
import { memoryPorts } from '../support/memory-ports';
import { directory, NOW, people } from '../unit/domain-fixtures';

const callerOf = (actor: Actor): Caller => ({ actor, directory });
const chairman = callerOf(people.chairman);
const specialist = callerOf(people.citySpecialist);
const clerk = callerOf(people.cityClerk);
const wardClerk = callerOf(people.wardClerk);

type Ports = Awaited<ReturnType<typeof setup>>;
function setup() {
  return memoryPorts(directory, Object.values(people), NOW);
}

async function draft(ports: Ports) {
  const { id } = await createDraft(ports, specialist, {
    typeId: 'quyet-dinh',
    subject: 'Về việc ban hành kế hoạch có phụ lục',
    urgency: 'normal',
    recipients: [],
  });
  ports.files.uploads.set(`uploads/${id}/draft.pdf`, new TextEncoder().encode('%PDF-1.7 main'));
  await recordContent(ports, specialist, id);
  return id;
}

async function attach(ports: Ports, id: string, fileName: string, mediaType: string, text: string) {
  const { uploadId } = await startAttachmentUpload(ports, specialist, id, { fileName, mediaType });
  ports.files.uploads.set(`uploads/${id}/attachments/${uploadId}`, new TextEncoder().encode(text));
  return addAttachment(ports, specialist, id, {
    uploadId,
    title: `Phụ lục: ${fileName}`,
    fileName,
    mediaType,
  });
}

async function toSigned(ports: Ports, id: string) {
  await outgoingCommand(ports, specialist, id, { type: 'submit' });
  await outgoingCommand(ports, chairman, id, { type: 'approve' });
  const prepared = await requestSignature(ports, chairman, id, {});
  await authorizeAll(ports, chairman, [prepared.requestId]);
  await sign(ports, chairman, id, prepared.requestId);
}

describe('attachments', () => {
  it('added and removed by the drafter; each sealed at issue under the one authorization; recipients get them sealed', async () => {
    const ports = await setup();
    const id = await draft(ports);
    await attach(ports, id, 'phu-luc-1.pdf', 'application/pdf', '%PDF-1.7 annex one');
    await attach(ports, id, 'bang-so-lieu.xlsx', 'application/vnd.ms-excel', 'cells');
    await attach(ports, id, 'bo-di.pdf', 'application/pdf', '%PDF-1.7 dropped');
    const removed = await removeAttachment(ports, specialist, id, 'a3');
    expect(removed.attachments?.map((a) => [a.id, a.format])).toEqual([
      ['a1', 'pdf'],
      ['a2', 'file'],
    ]);
    expect(removed.log.map((e) => e.type)).toEqual([
      'created',
      'attachment-added',
      'attachment-added',
      'attachment-added',
      'attachment-removed',
    ]);
    // A PDF that is none is refused before anything is recorded.
    await expect(attach(ports, id, 'gia.pdf', 'application/pdf', 'not a pdf')).rejects.toThrow();

    await toSigned(ports, id);
    const prepared = await requestIssue(ports, clerk, id);
    // One authorization of the main seal covers the attachments' seals too.
    const authorization = await authorizeAll(ports, clerk, [prepared.requestId]);
    expect(authorization.requestIds).toHaveLength(3);
    const issued = await issue(ports, clerk, id, prepared.requestId);
    expect(issued.state).toBe('ISSUED');
    const [pdf, file] = issued.attachments ?? [];
    expect(pdf?.sealedSha256).toBeDefined();
    expect(pdf?.sealedSha256).not.toBe(pdf?.sha256);
    expect(pdf?.signatureSha256).toBeUndefined();
    expect(file?.sealedSha256).toBe(file?.sha256);
    expect(file?.signatureSha256).toBeDefined();
    const sealedPdf = new TextDecoder().decode(await ports.files.readRevision(id, pdf?.sealedSha256 ?? ''));
    expect(sealedPdf).toContain(`sealed ${issued.symbol}`);

    // The outgoing register names them.
    const register = await registerEntries(ports, clerk, 'outgoing', {});
    expect(register.entries.find((e) => e.documentId === id)).toMatchObject({
      attachments: ['Phụ lục: phu-luc-1.pdf', 'Phụ lục: bang-so-lieu.xlsx'],
    });
    expect(registerTable('outgoing', register.entries, { year: 2026 }, 'vi').rows[0]?.at(-1)).toBe(
      'Kèm 2 phụ lục',
    );
    await send(ports, clerk, id, [{ to: 'phuong-ba-dinh', purpose: 'action' }]);
    const received = await viewFor(ports, wardClerk, id);
    expect(received.attachments?.map((a) => a.id)).toEqual(['a1', 'a2']);
    expect(await attachmentUrl(ports, wardClerk, id, 'a2', 'signature')).toContain(
      `${file?.signatureSha256}/bang-so-lieu.xlsx.p7s`,
    );
    expect(await attachmentUrl(ports, wardClerk, id, 'a1', 'file')).toContain(pdf?.sealedSha256);
    const e = (await attachmentUrl(ports, wardClerk, id, 'a1', 'signature').catch((x) => x)) as DomainError;
    expect(renderError(e, 'vi')).toContain('phụ lục');
  });

  it('an issue whose attachments were not authorized with it seals nothing', async () => {
    const ports = await setup();
    const id = await draft(ports);
    await attach(ports, id, 'phu-luc-1.pdf', 'application/pdf', '%PDF-1.7 annex one');
    await toSigned(ports, id);
    const prepared = await requestIssue(ports, clerk, id);
    const attached = (await ports.requests.get(prepared.requestId))?.attachments?.[0]?.requestId ?? '';
    // The attachment's seal authorized on its own: the main seal's challenge cannot take it in again.
    await authorizeAll(ports, clerk, [attached]);
    await expect(authorizeAll(ports, clerk, [prepared.requestId])).rejects.toMatchObject({ status: 409 });
    // And were the main seal authorized under another authorization, the issue refuses before sealing.
    const main = ports.requests.items.get(prepared.requestId);
    if (main) ports.requests.items.set(prepared.requestId, { ...main, authorizationId: 'another' });
    ports.records.items.set('another', { ...[...ports.records.items.values()][0], id: 'another' } as never);
    const before = ports.signing.calls.length;
    const e = (await issue(ports, clerk, id, prepared.requestId).catch((x) => x)) as DomainError;
    expect(e).toMatchObject({ status: 409, code: 'signature_request_not_authorized' });
    expect(ports.signing.calls.length).toBe(before);
    expect((await viewFor(ports, clerk, id)).state).toBe('SIGNED');
  });

  it('only the drafter, only on a draft', async () => {
    const ports = await setup();
    const id = await draft(ports);
    await expect(
      startAttachmentUpload(ports, chairman, id, { fileName: 'a.pdf', mediaType: 'application/pdf' }),
    ).rejects.toMatchObject({ status: 403 });
    await toSigned(ports, id);
    await expect(
      startAttachmentUpload(ports, specialist, id, { fileName: 'a.pdf', mediaType: 'application/pdf' }),
    ).rejects.toMatchObject({ status: 409, code: 'outgoing_cannot_add_attachment' });
  });
});
