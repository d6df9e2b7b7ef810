import { createHash } from 'node:crypto';
import * as pkijs from 'pkijs';
import { describe, expect, it } from 'vitest';
import { parseDer, pemEncode } from '../../lambdas/core/pki/asn1';
import { openssl, tempDir, writeTemp } from '../support/pdf-tools';
import { cityPki } from '../support/pki-fixtures';

describe('city time-stamping authority (RFC 3161)', () => {
  it('answers a TimeStampReq from openssl with a response openssl ts -verify accepts', async () => {
    const pki = await cityPki();
    const dir = tempDir();
    const data = writeTemp(dir, 'data.bin', 'Công văn số 12/UBND-VX');
    const req = `${dir}/req.tsq`;
    const made = openssl(['ts', '-query', '-data', data, '-sha256', '-cert', '-out', req]);
    expect(made.status, made.output).toBe(0);
    const { readFileSync } = await import('node:fs');
    const response = await pki.tsa.respond(new Uint8Array(readFileSync(req)));
    const respPath = writeTemp(dir, 'resp.tsr', response);
    const caFile = writeTemp(dir, 'root.pem', pemEncode('CERTIFICATE', pki.root.certificate));
    const untrusted = writeTemp(dir, 'chain.pem', pemEncode('CERTIFICATE', pki.issuing.certificate));
    const verify = openssl([
      'ts',
      '-verify',
      '-in',
      respPath,
      '-queryfile',
      req,
      '-CAfile',
      caFile,
      '-untrusted',
      untrusted,
    ]);
    expect(verify.output).toContain('Verification: OK');
    const text = openssl(['ts', '-reply', '-in', respPath, '-text']);
    expect(text.output).toContain('Status: Granted.');
    expect(text.output).toContain('Policy OID: 0.4.0.2023.1.1');

    // A different file does not match the token.
    const other = writeTemp(dir, 'other.bin', 'khác');
    const mismatch = openssl([
      'ts',
      '-verify',
      '-in',
      respPath,
      '-data',
      other,
      '-CAfile',
      caFile,
      '-untrusted',
      untrusted,
    ]);
    expect(mismatch.output).not.toContain('Verification: OK');
  });

  it('puts signing-certificate-v2 naming the TSA certificate in the token', async () => {
    const pki = await cityPki();
    const imprint = createHash('sha256').update('x').digest();
    const token = await pki.tsa.timestamp(new Uint8Array(imprint));
    const content = new pkijs.ContentInfo({ schema: parseDer(token, 'token') });
    const signed = new pkijs.SignedData({ schema: content.content });
    const attrs = signed.signerInfos[0]?.signedAttrs?.attributes ?? [];
    expect(attrs.map((a) => a.type)).toContain('1.2.840.113549.1.9.16.2.47');
    expect(signed.encapContentInfo.eContentType).toBe('1.2.840.113549.1.9.16.1.4');
  });

  it('refuses requests with another hash algorithm', async () => {
    const pki = await cityPki();
    const dir = tempDir();
    const data = writeTemp(dir, 'data.bin', 'abc');
    const req = `${dir}/req.tsq`;
    expect(openssl(['ts', '-query', '-data', data, '-sha1', '-out', req]).status).toBe(0);
    const { readFileSync } = await import('node:fs');
    const response = await pki.tsa.respond(new Uint8Array(readFileSync(req)));
    const text = openssl(['ts', '-reply', '-in', writeTemp(dir, 'r.tsr', response), '-text']);
    expect(text.output).toContain('Status: Rejected');
    expect(text.output).toMatch(/unrecognized or unsupported algorithm|bad_alg|badAlg/i);
  });
});
