import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { describe, expect, it } from 'vitest';
import { pemDecodeAll } from '../../lambdas/core/pki/asn1';
import { hanoiDateTime } from '../../lambdas/core/pki/evidence-horizon';
import { api, login, stack } from '../support/api';
import { get, post, sent, type View } from '../support/flow';
import { nssDbTrusting, pdfsig, tempDir, writeTemp } from '../support/pdf-tools';
import { uploadTo } from '../support/upload';

/*
 * The archive on the local stack (issue 17, item 6): the city clerk archives a sent document; the file gets a
 * document timestamp by the city TSA with everything needed to verify it offline (PAdES B-LTA), which pdfsig
 * lists and the CLI verifies with the root alone, saying until when the evidence holds in Hanoi time. The
 * renewal sweep is run with the clock moved (asOf at the timestamp's renewBy): no waiting.
 */

const repoRoot = resolve(import.meta.dirname, '..', '..');
const TSA = 'docflow Hà Nội Time-Stamping Authority';

async function fileOf(id: string, userId: string): Promise<Uint8Array> {
  const { url } = await get(userId, `/api/documents/${id}/file?redirect=false`);
  return new Uint8Array(await (await fetch(url)).arrayBuffer());
}

function cliVerify(pdf: Uint8Array, rootsPem: string, lang: 'vi' | 'en') {
  const dir = tempDir('docflow-cli-');
  const file = writeTemp(dir, 'archived.pdf', pdf);
  const trust = writeTemp(dir, 'roots.pem', rootsPem);
  const run = spawnSync(
    process.execPath,
    [join(repoRoot, 'cli', 'bundle', 'docflow.mjs'), 'verify', file, '--trust', trust, '--lang', lang],
    { encoding: 'utf8', timeout: 120_000 },
  );
  return { status: run.status, stdout: `${run.stdout}${run.stderr}` };
}

/** Invokes the renewal sweep as an operator would (`aws lambda invoke`), with the event given. */
async function invokeRenewer(event: Record<string, unknown>): Promise<Record<string, string[]>> {
  const lambda = new LambdaClient({
    endpoint: stack().environment.AWS_ENDPOINT_URL_LAMBDA,
    region: stack().environment.AWS_REGION,
    credentials: {
      accessKeyId: stack().environment.AWS_ACCESS_KEY_ID ?? '',
      secretAccessKey: stack().environment.AWS_SECRET_ACCESS_KEY ?? '',
    },
    maxAttempts: 1,
  });
  try {
    const out = await lambda.send(
      new InvokeCommand({ FunctionName: 'archiveRenewer', Payload: JSON.stringify(event) }),
    );
    const payload = new TextDecoder().decode(out.Payload);
    expect(out.FunctionError, payload).toBeUndefined();
    return JSON.parse(payload) as Record<string, string[]>;
  } finally {
    lambda.destroy();
  }
}

/** Anyone's check of a PDF (no token): which issued document of which organisation it is. */
async function publicCheck(bytes: Uint8Array): Promise<{ registered: { documentId: string } | null }> {
  const started = await api<{ id: string; upload: { url: string; fields: Record<string, string> } }>(
    'POST',
    '/api/public/checks',
    { body: {} },
  );
  expect((await uploadTo(started.body.upload, bytes)).ok).toBe(true);
  return (
    await api<{ registered: { documentId: string } | null }>(
      'POST',
      `/api/public/checks/${started.body.id}`,
      { body: {} },
    )
  ).body;
}

describe('archive timestamps (PAdES B-LTA)', () => {
  it('the clerk archives; pdfsig lists the document timestamp; the CLI verifies it offline and says until when it holds; the sweep renews it', async () => {
    const id = await sent(['phuong-ba-dinh']);
    const sentFile = await fileOf(id, 'city-clerk');

    // Not the leader's to do; nothing is timestamped for a refusal.
    const refused = await api('POST', `/api/documents/${id}/archive`, {
      token: await login('city-chairman'),
      body: {},
      headers: { 'accept-language': 'en', 'idempotency-key': crypto.randomUUID() },
    });
    expect(refused.status).toBe(403);

    const view: View = await post('city-clerk', `/api/documents/${id}/archive`);
    expect(view.state).toBe('ARCHIVED');
    const stamp = view.document.archiveTimestamp as { time: string; holdsUntil: string; renewBy: string };
    // The local stage is a new stage: its TSA key is RSA-3072 (lib/config.ts tsaKeySpecOf), whose evidence
    // holds to the end of 2035 (core/pki/evidence-horizon.ts), past the RSA-2048 horizon of 2030.
    expect(stamp.holdsUntil).toBe('2035-12-31T16:59:59.000Z');
    expect(view.log.at(-1).type).toBe('archived');

    const archived = await fileOf(id, 'city-clerk');
    expect(Buffer.from(archived.subarray(0, sentFile.length)).equals(Buffer.from(sentFile))).toBe(true);
    const rootsPem = (await api<string>('GET', '/api/pki/roots')).body;
    const roots = pemDecodeAll(rootsPem, 'CERTIFICATE');

    const poppler = pdfsig(writeTemp(tempDir(), 'archived.pdf', archived), nssDbTrusting(roots));
    const timestamps = poppler.signatures.filter(
      (s) => s.block.includes(TSA) && !s.block.includes('Ban hành'),
    );
    expect(timestamps.length, poppler.output).toBeGreaterThanOrEqual(1);
    for (const s of poppler.signatures.filter((x) => !timestamps.includes(x))) {
      expect(s.signatureValid, s.block).toBe(true);
      expect(s.certificateTrusted, s.block).toBe(true);
    }

    // Offline: the root and the file, no CRL given (the file carries them).
    const until = hanoiDateTime(stamp.holdsUntil);
    const en = cliVerify(archived, rootsPem, 'en');
    expect(en.status, en.stdout).toBe(0);
    expect(en.stdout).toContain(`the evidence holds until ${until} (Hanoi time)`);
    const vi = cliVerify(archived, rootsPem, 'vi');
    expect(vi.stdout).toContain(`bằng chứng có giá trị đến ${until} (giờ Hà Nội)`);

    // Still the organisation's issued document to anyone who checks the archived copy.
    expect((await publicCheck(archived)).registered?.documentId).toBe(id);

    // The API's verification says the same.
    const audit = (await get('city-clerk', `/api/documents/${id}/verification`)) as View;
    // The archived version is named for what made it, not "other".
    expect(audit.revisions.at(-1).role).toBe('archived');
    expect(audit.summary.vi).toContain('lưu trữ (dấu thời gian lưu trữ)');
    expect(audit.summary.en).toContain('archived (archive timestamp)');
    const last = audit.revisions.at(-1).report;
    expect(last.archive).toMatchObject({ timestamps: 1, valid: true, holdsUntil: stamp.holdsUntil });

    // The sweep with the clock at renewBy: the document is due and gets a second archive timestamp.
    expect((await invokeRenewer({})).renewed).not.toContain(id);
    const outcome = await invokeRenewer({ asOf: stamp.renewBy, limit: 200 });
    expect(outcome.renewed, JSON.stringify(outcome)).toContain(id);
    const renewedView: View = await get('city-clerk', `/api/documents/${id}`);
    expect(renewedView.state).toBe('ARCHIVED');
    expect(renewedView.log.at(-1)).toMatchObject({ type: 'archive-renewed' });
    const renewed = await fileOf(id, 'city-clerk');
    expect(Buffer.from(renewed.subarray(0, archived.length)).equals(Buffer.from(archived))).toBe(true);
    const again = cliVerify(renewed, rootsPem, 'en');
    expect(again.status, again.stdout).toBe(0);
    expect(again.stdout).toContain('The chain of 2 archive timestamp(s) is valid');
  });
});
