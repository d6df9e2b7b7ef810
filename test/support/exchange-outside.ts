import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { buildPackage } from '../../lambdas/core/exchange/build';
import type { PackageHeaderInput } from '../../lambdas/core/exchange/model';
import { stack } from './api';
import { collect, MINISTRY } from './exchange';
import { requireTool, tempDir } from './pdf-tools';

/*
 * Playing the other side of the national document exchange on the local stack (issue 20), for the
 * integration and browser tests: a ministry's package, its PDF
 * signed by a key of the external CA the city trusts, offered to the local exchange simulator, and the
 * scheduled poller run now.
 */

const EXTERNAL_CA = resolve(import.meta.dirname, '..', 'fixtures', 'external-ca');
const dir = tempDir('docflow-outside-');

/** Runs the scheduled poller now, as its schedule would; answers its summary. */
export async function pollExchange(): Promise<Record<string, unknown>> {
  const lambda = new LambdaClient({
    endpoint: stack().environment.AWS_ENDPOINT_URL_LAMBDA,
    region: stack().environment.AWS_REGION,
    credentials: {
      accessKeyId: stack().environment.AWS_ACCESS_KEY_ID ?? '',
      secretAccessKey: stack().environment.AWS_SECRET_ACCESS_KEY ?? '',
    },
  });
  try {
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'exchangePoller', Payload: '{}' }));
    const text = new TextDecoder().decode(out.Payload);
    if (out.FunctionError) throw new Error(`the exchange poller failed: ${text}`);
    return JSON.parse(text) as Record<string, unknown>;
  } finally {
    lambda.destroy();
  }
}

/** Puts a package at the simulator's door, as the national exchange delivers one from outside. */
export async function offerFromOutside(body: Uint8Array): Promise<void> {
  const response = await fetch(`${stack().services.exchange}/outside/edocs`, { method: 'POST', body });
  if (response.status !== 201)
    throw new Error(`the simulator answered ${response.status}: ${await response.text()}`);
}

/** A PDF signed, as a ministry's own system signs, by a key certified by the external CA the city trusts. */
export function foreignSigned(pdf: Uint8Array, name: string): Uint8Array {
  requireTool('pdfsig');
  const file = (suffix: string) => join(dir, `${name}${suffix}`);
  const run = (tool: string, args: string[]) => execFileSync(tool, args, { stdio: 'pipe' });
  run('openssl', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', file('.key')]);
  run(
    'openssl',
    ['req', '-new', '-key', file('.key'), '-subj', '/C=VN/O=Bộ Nội vụ/CN=Nguyễn Văn B'].concat([
      '-utf8',
      '-out',
      file('.csr'),
    ]),
  );
  writeFileSync(
    file('.ext'),
    'keyUsage=critical,digitalSignature,nonRepudiation\nextendedKeyUsage=emailProtection\n',
  );
  run('openssl', [
    'x509',
    '-req',
    '-in',
    file('.csr'),
    '-CA',
    join(EXTERNAL_CA, 'root.pem'),
    '-CAkey',
    join(EXTERNAL_CA, 'root.key'),
    '-CAcreateserial',
    '-CAserial',
    file('.srl'),
    '-days',
    '365',
    '-extfile',
    file('.ext'),
    '-out',
    file('.pem'),
  ]);
  run('openssl', [
    'pkcs12',
    '-export',
    '-inkey',
    file('.key'),
    '-in',
    file('.pem'),
    '-certfile',
    join(EXTERNAL_CA, 'root.pem'),
    '-name',
    name,
    '-passout',
    'pass:',
    '-out',
    file('.p12'),
  ]);
  run('mkdir', ['-p', file('-db')]);
  run('certutil', ['-N', '-d', `sql:${file('-db')}`, '--empty-password']);
  run('pk12util', ['-i', file('.p12'), '-d', `sql:${file('-db')}`, '-W', '']);
  writeFileSync(file('-in.pdf'), pdf);
  run('pdfsig', [
    '-nssdir',
    `sql:${file('-db')}`,
    '-add-signature',
    '-nick',
    name,
    file('-in.pdf'),
    file('-signed.pdf'),
  ]);
  return new Uint8Array(readFileSync(file('-signed.pdf')));
}

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

/** A ministry's công văn to `to` (agency codes), numbered `serial`, carrying `pdf`. */
export function ministryPackage(
  to: readonly string[],
  serial: number,
  pdf: Uint8Array,
): { header: PackageHeaderInput; body: Promise<Uint8Array> } {
  const header: PackageHeaderInput = {
    messageHeader: {
      from: MINISTRY,
      to: to.map((organId) => ({ organId })),
      documentId: `${MINISTRY.organId},2026/01/05,${serial}/BNV-CQĐP`,
      code: { codeNumber: String(serial), codeNotation: 'BNV-CQĐP' },
      promulgationInfo: { place: 'Hà Nội', promulgationDate: '2026/01/05' },
      documentType: { type: 1, typeDetail: 18, typeName: 'Công văn' },
      subject: `Về việc rà soát tổ chức bộ máy (${serial})`,
      signerInfo: { position: 'Thứ trưởng', fullName: 'Nguyễn Văn B' },
      otherInfo: { priority: 1 },
    },
    traceHeaders: [{ organId: MINISTRY.organId, timestamp: '2026/01/05 08:00:00' }],
    attachments: [{ contentId: 'document', contentType: 'application/pdf', attachmentName: 'cv.pdf' }],
  };
  return { header, body: collect(buildPackage(header, () => once(pdf))) };
}
