import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { describe, expect, it } from 'vitest';
import { pemDecodeAll } from '../../lambdas/core/pki/asn1';
import { parseCertificate } from '../../lambdas/core/pki/certificate';
import { parseCrl } from '../../lambdas/core/pki/crl';
import { api, stack } from '../support/api';
import { CITY, get, issueAs, signAs, toSign } from '../support/flow';
import {
  byteRanges,
  extractCms,
  nssDbTrusting,
  openssl,
  opensslCmsVerify,
  pdfsig,
  signedBytes,
  tempDir,
  writeTemp,
} from '../support/pdf-tools';

/*
 * The two-level city PKI on the local stack: the root signs only the issuing CA (and the root CRL); every
 * signature of a newly issued document carries official (or seal, or TSA) → issuing CA → root, which
 * pdfsig, openssl, the CLI and docflow's own verifier follow with the root alone trusted. After the
 * operator rotates the issuing CA, new documents carry the new issuing certificate and the ones signed
 * before still verify.
 */

const repoRoot = resolve(import.meta.dirname, '..', '..');

async function fileOf(id: string, userId: string): Promise<Uint8Array> {
  const { url } = await get(userId, `/api/documents/${id}/file?redirect=false`);
  return new Uint8Array(await (await fetch(url)).arrayBuffer());
}

async function issuedDocument(): Promise<Uint8Array> {
  const id = await toSign(CITY);
  await signAs(CITY.signer, id, CITY.capacity ?? {});
  await issueAs('city-clerk', id);
  return fileOf(id, 'city-clerk');
}

/** Each signature's certificates, as openssl reads them from the CMS: [subject CN, issuer CN, serial]. */
function cmsCertificates(
  pdf: Uint8Array,
): { cms: Uint8Array; content: Uint8Array; certs: string[][]; ders: Uint8Array[] }[] {
  return byteRanges(pdf).map((range) => {
    const cms = extractCms(pdf, range);
    const dir = tempDir('docflow-chain-');
    const run = openssl(['pkcs7', '-inform', 'DER', '-in', writeTemp(dir, 'sig.p7s', cms), '-print_certs']);
    expect(run.status, run.output).toBe(0);
    const ders = pemDecodeAll(run.output, 'CERTIFICATE');
    const certs = ders.map((der) => {
      const info = parseCertificate(der);
      return [info.subject.commonName ?? '', info.issuer.commonName ?? '', info.serial];
    });
    return { cms, content: signedBytes(pdf, range), certs, ders };
  });
}

async function roots(): Promise<Uint8Array[]> {
  return pemDecodeAll((await api<string>('GET', '/api/pki/roots')).body, 'CERTIFICATE');
}

function verifiedEverywhere(pdf: Uint8Array, trusted: Uint8Array[]): void {
  const dir = tempDir();
  const file = join(dir, 'issued.pdf');
  writeFileSync(file, pdf);
  const { signatures, output } = pdfsig(file, nssDbTrusting(trusted));
  expect(signatures.length, output).toBeGreaterThanOrEqual(2);
  for (const s of signatures) {
    expect(s.signatureValid, s.block).toBe(true);
    expect(s.certificateTrusted, s.block).toBe(true);
  }
  for (const { cms, content } of cmsCertificates(pdf)) {
    // No -untrusted: the intermediates must come from the CMS itself.
    const verified = opensslCmsVerify(cms, content, trusted);
    expect(verified.ok, verified.output).toBe(true);
  }
}

function cliVerify(pdf: Uint8Array, rootsPem: string): { status: number | null; stdout: string } {
  const dir = tempDir('docflow-cli-');
  const file = writeTemp(dir, 'issued.pdf', pdf);
  const trust = writeTemp(dir, 'roots.pem', rootsPem);
  const run = spawnSync(
    process.execPath,
    [join(repoRoot, 'cli', 'bundle', 'docflow.mjs'), 'verify', file, '--trust', trust, '--lang', 'en'],
    { encoding: 'utf8', timeout: 120_000 },
  );
  return { status: run.status, stdout: `${run.stdout}${run.stderr}` };
}

/** Invokes the certificate authority as the operator (an administrator) would, with `aws lambda invoke`. */
async function invokeAuthority(
  command: Record<string, unknown>,
): Promise<{ ok: boolean; certificate: string }> {
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
      new InvokeCommand({ FunctionName: 'certificateAuthority', Payload: JSON.stringify(command) }),
    );
    expect(out.FunctionError).toBeUndefined();
    return JSON.parse(new TextDecoder().decode(out.Payload)) as { ok: boolean; certificate: string };
  } finally {
    lambda.destroy();
  }
}

const serialOf = (base64: string) => parseCertificate(new Uint8Array(Buffer.from(base64, 'base64'))).serial;

/** The issuing CA certificate a stored credential names (directory table, PKI item). */
async function storedIssuer(name: string): Promise<string | undefined> {
  const dynamo = new DynamoDBClient({
    endpoint: stack().services.dynamodb,
    region: stack().environment.AWS_REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    const { Item } = await dynamo.send(
      new GetItemCommand({
        TableName: stack().environment.DOCFLOW_DIRECTORY_TABLE,
        Key: { pk: { S: 'PKI' }, sk: { S: name } },
        ConsistentRead: true,
      }),
    );
    return Item?.issuer?.S;
  } finally {
    dynamo.destroy();
  }
}

describe('the two-level city PKI', () => {
  let before: Uint8Array;
  let firstIssuingSerial: string;

  it('signatures of a newly issued document chain official, seal and TSA → issuing CA → root; pdfsig, openssl, the CLI and docflow verify them with the root alone', async () => {
    before = await issuedDocument();
    const anchors = await roots();
    expect(anchors.map((r) => parseCertificate(r).subject.commonName)).toContain('docflow Hà Nội Root CA');
    const signatures = cmsCertificates(before);
    for (const { certs } of signatures) {
      const issuing = certs.filter(([subject]) => subject === 'docflow Hà Nội Issuing CA');
      expect(issuing, JSON.stringify(certs)).toHaveLength(1);
      expect(issuing[0]?.[1]).toBe('docflow Hà Nội Root CA');
      // Every end-entity certificate (signer, TSA) is the issuing CA's; the root certifies nothing else.
      for (const [subject, issuer] of certs) {
        if (subject === 'docflow Hà Nội Root CA' || subject === 'docflow Hà Nội Issuing CA') continue;
        expect(issuer, subject).toBe('docflow Hà Nội Issuing CA');
      }
    }
    firstIssuingSerial = signatures[0]?.certs.find(([s]) => s === 'docflow Hà Nội Issuing CA')?.[2] ?? '';

    verifiedEverywhere(before, anchors);
    const rootsPem = (await api<string>('GET', '/api/pki/roots')).body;
    const cli = cliVerify(before, rootsPem);
    expect(cli.status, cli.stdout).toBe(0);
    expect(cli.stdout).toContain('RESULT: every signature is valid.');

    // The two CRLs: the issuing CA's (the default) and the root's, each signed by its CA.
    const crlOf = async (query: string) =>
      parseCrl(
        pemDecodeAll((await api<string>('GET', `/api/pki/crl?format=pem${query}`)).body, 'X509 CRL')[0] ??
          new Uint8Array(),
      );
    const issuingCert = parseCertificate(
      signatures[0]?.ders.find(
        (d) => parseCertificate(d).subject.commonName === 'docflow Hà Nội Issuing CA',
      ) ?? new Uint8Array(),
    );
    const root = parseCertificate(anchors[0] ?? new Uint8Array());
    expect((await crlOf('')).isSignedBy(issuingCert)).toBe(true);
    expect((await crlOf('&issuer=root')).isSignedBy(root)).toBe(true);
    expect((await crlOf('&issuer=root')).isSignedBy(issuingCert)).toBe(false);
  });

  it('after a rotation of the issuing CA, new certificates chain to the new one; documents signed before and after all verify', async () => {
    const result = await invokeAuthority({ command: 'rotateIssuingCa' });
    expect(result.ok).toBe(true);
    const rotated = serialOf(result.certificate);
    expect(rotated).not.toBe(firstIssuingSerial);
    // A certificate issued from now on (a seal no test uses) is the new issuing certificate's.
    const sealed = await invokeAuthority({
      command: 'credential',
      holder: { kind: 'seal', orgId: 'phuong-long-bien' },
    });
    expect(sealed.ok).toBe(true);
    expect(await storedIssuer('seal/phuong-long-bien')).toBe(rotated);
    // Holders certified before keep theirs: each signature carries the issuing certificate its credential names.
    expect(await storedIssuer(`official/${CITY.signer}`)).toBe(firstIssuingSerial);
    const after = await issuedDocument();
    for (const { certs } of cmsCertificates(after)) {
      const issuing = certs
        .filter(([subject]) => subject === 'docflow Hà Nội Issuing CA')
        .map(([, , serial]) => serial);
      expect(issuing).toHaveLength(1);
      expect([firstIssuingSerial, rotated]).toContain(issuing[0]);
    }
    const anchors = await roots();
    verifiedEverywhere(before, anchors);
    verifiedEverywhere(after, anchors);
    const rootsPem = (await api<string>('GET', '/api/pki/roots')).body;
    for (const pdf of [before, after]) {
      const cli = cliVerify(pdf, rootsPem);
      expect(cli.status, cli.stdout).toBe(0);
    }
  });
});
