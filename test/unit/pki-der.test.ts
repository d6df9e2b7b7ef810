import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { describe, expect, it } from 'vitest';
import { verifyDetachedCades } from '../../lambdas/core/cms/cades';
import { parseSignedData } from '../../lambdas/core/cms/verify';
import { InMemorySigner } from '../../lambdas/core/crypto/in-memory-signer';
import { verifyPdf } from '../../lambdas/core/pdf/verify';
import {
  derOf,
  pemDecodeAll,
  pemEncode,
  serialHex,
  sha256,
  toArrayBuffer,
} from '../../lambdas/core/pki/asn1';
import {
  type CertificateInfo,
  isIssuedBy,
  KEY_USAGE_BITS,
  parseCertificate,
} from '../../lambdas/core/pki/certificate';
import { CertificateAuthority } from '../../lambdas/core/pki/certificate-authority';
import { parseCrl } from '../../lambdas/core/pki/crl';
import { Der } from '../../lambdas/core/pki/der';
import { clearParseCaches } from '../../lambdas/core/pki/lru';
import { OID } from '../../lambdas/core/pki/oids';
import { RevocationRegistry } from '../../lambdas/core/pki/revocation';
import { validatePath } from '../../lambdas/core/pki/trust';
import { signingChain } from '../fixtures/signing-flow';
import { requireTool, tempDir, writeTemp } from '../support/pdf-tools';
import { cityPki } from '../support/pki-fixtures';

const DAY = 24 * 3600_000;
const LABELS: Record<string, string> = {
  [OID.country]: 'C',
  [OID.stateOrProvince]: 'ST',
  [OID.locality]: 'L',
  [OID.organization]: 'O',
  [OID.organizationalUnit]: 'OU',
  [OID.title]: 'T',
  [OID.commonName]: 'CN',
};

/** The certificate fields the verifier relies on. */
interface Reading {
  readonly serial: string;
  readonly subject: string;
  readonly issuer: string;
  readonly subjectDer: Uint8Array;
  readonly issuerDer: Uint8Array;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly spki: Uint8Array;
  readonly isCa: boolean;
  readonly pathLength: number | undefined;
  readonly keyUsage: string[] | undefined;
  readonly extKeyUsage: string[] | undefined;
  readonly crlUrls: string[];
  readonly subjectKeyId: Uint8Array | undefined;
  readonly tbs: Uint8Array;
  readonly signatureAlgorithm: string;
  readonly signatureValue: Uint8Array;
}

/** The oracle: what asn1js + pkijs read from the same certificate (how docflow read certificates before). */
function pkijsReading(der: Uint8Array): Reading {
  const cert = new pkijs.Certificate({ schema: asn1js.fromBER(toArrayBuffer(der)).result });
  const ext = (oid: string) => cert.extensions?.find((e) => e.extnID === oid)?.parsedValue;
  const display = (name: pkijs.RelativeDistinguishedNames) =>
    name.typesAndValues
      .map((a) => `${LABELS[a.type] ?? a.type}=${String(a.value.valueBlock.value ?? '')}`)
      .reverse()
      .join(', ');
  const basic = ext(OID.basicConstraints) as pkijs.BasicConstraints | undefined;
  const ku = ext(OID.keyUsage) as asn1js.BitString | undefined;
  const kuBytes = ku ? new Uint8Array(ku.valueBlock.valueHexView) : undefined;
  const cdp = ext(OID.cRLDistributionPoints) as pkijs.CRLDistributionPoints | undefined;
  const ski = ext(OID.subjectKeyIdentifier) as asn1js.OctetString | undefined;
  return {
    serial: serialHex(cert.serialNumber),
    subject: display(cert.subject),
    issuer: display(cert.issuer),
    subjectDer: derOf(cert.subject.toSchema()),
    issuerDer: derOf(cert.issuer.toSchema()),
    notBefore: cert.notBefore.value,
    notAfter: cert.notAfter.value,
    spki: derOf(cert.subjectPublicKeyInfo.toSchema()),
    isCa: basic?.cA === true,
    pathLength: typeof basic?.pathLenConstraint === 'number' ? basic.pathLenConstraint : undefined,
    keyUsage: kuBytes
      ? KEY_USAGE_BITS.filter((_, i) => ((kuBytes[i >> 3] ?? 0) >> (7 - (i % 8))) & 1)
      : undefined,
    extKeyUsage: (ext(OID.extKeyUsage) as pkijs.ExtKeyUsage | undefined)?.keyPurposes,
    crlUrls: (cdp?.distributionPoints ?? []).flatMap((dp) =>
      Array.isArray(dp.distributionPoint)
        ? dp.distributionPoint.filter((n) => n.type === 6).map((n) => String(n.value))
        : [],
    ),
    subjectKeyId: ski ? new Uint8Array(ski.valueBlock.valueHexView) : undefined,
    tbs: new Uint8Array(cert.tbsView),
    signatureAlgorithm: cert.signatureAlgorithm.algorithmId,
    signatureValue: new Uint8Array(cert.signatureValue.valueBlock.valueHexView),
  };
}

function docflowReading(info: CertificateInfo): Reading {
  return {
    serial: info.serial,
    subject: info.subject.display,
    issuer: info.issuer.display,
    subjectDer: info.subjectDer,
    issuerDer: info.issuerDer,
    notBefore: info.notBefore,
    notAfter: info.notAfter,
    spki: info.spki,
    isCa: info.isCa,
    pathLength: info.pathLength,
    keyUsage: info.keyUsage ? [...info.keyUsage] : undefined,
    extKeyUsage: info.extKeyUsage ? [...info.extKeyUsage] : undefined,
    crlUrls: [...info.crlUrls],
    subjectKeyId: info.subjectKeyId,
    tbs: info.tbs,
    signatureAlgorithm: info.signatureAlgorithm,
    signatureValue: info.signatureValue,
  };
}

function run(command: string, args: readonly string[], cwd: string): void {
  execFileSync(command, args, { cwd, stdio: 'pipe' });
}

/**
 * Certificates as another toolkit writes them: a CA with BMPString names in a multi-valued RDN, path length,
 * two CRL URIs, an unknown extended key usage and a notAfter after 2049 (GeneralizedTime); and a v1
 * certificate (no extensions at all).
 */
function opensslCertificates(dir: string): Uint8Array[] {
  requireTool('openssl');
  writeTemp(
    dir,
    'req.cnf',
    [
      '[req]',
      'distinguished_name=dn',
      'string_mask=pkix',
      'utf8=yes',
      'x509_extensions=v3',
      '[dn]',
      '[v3]',
      'subjectKeyIdentifier=hash',
      'basicConstraints=critical,CA:TRUE,pathlen:2',
      'keyUsage=critical,keyCertSign,cRLSign',
      'crlDistributionPoints=URI:http://crl.invalid/a.crl,URI:ldap://crl.invalid/b',
      'extendedKeyUsage=timeStamping,1.2.3.4.5',
      '',
    ].join('\n'),
  );
  run(
    'openssl',
    ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'k.pem'],
    dir,
  );
  run(
    'openssl',
    [
      'req',
      '-config',
      'req.cnf',
      '-x509',
      '-key',
      'k.pem',
      '-subj',
      '/C=VN/O=Sở Nội vụ+OU=Văn thư/CN=Nguyễn Văn An',
      '-multivalue-rdn',
      '-days',
      '10000',
      '-out',
      'ca.pem',
    ],
    dir,
  );
  run('openssl', ['req', '-new', '-key', 'k.pem', '-subj', '/CN=v1 cert/O=Test', '-out', 'v1.csr'], dir);
  run('openssl', ['x509', '-req', '-in', 'v1.csr', '-key', 'k.pem', '-days', '1', '-out', 'v1.pem'], dir);
  return ['ca.pem', 'v1.pem'].flatMap((f) => pemDecodeAll(readFileSync(join(dir, f), 'utf8'), 'CERTIFICATE'));
}

describe('reading DER in place (verification path)', () => {
  it('reads certificates exactly as asn1js/pkijs do: docflow profiles, ECDSA, TSA, BMPString names, v1', async () => {
    const pki = await cityPki();
    const foreign = opensslCertificates(tempDir());
    const ders = [
      pki.root.certificate,
      pki.issuing.certificate,
      pki.officials.chairDeputy.certificate,
      pki.officials.ecdsaOfficial.certificate,
      pki.officials.cityPeoplesCommittee.certificate,
      pki.tsa.certificate,
      ...foreign,
    ];
    clearParseCaches();
    for (const der of ders) {
      const info = parseCertificate(der);
      expect(docflowReading(info)).toEqual(pkijsReading(der));
      expect(info.pkijs.serialNumber.valueBlock.valueHexView).toEqual(info.serialNumber);
    }
    const [ca, v1] = foreign.map((d) => parseCertificate(d));
    expect(ca?.subject.display).toBe('CN=Nguyễn Văn An, O=Sở Nội vụ, OU=Văn thư, C=VN');
    expect(ca?.notAfter.getUTCFullYear()).toBeGreaterThan(2049);
    expect(ca?.pathLength).toBe(2);
    expect(ca?.crlUrls).toEqual(['http://crl.invalid/a.crl', 'ldap://crl.invalid/b']);
    expect(v1?.keyUsage).toBeUndefined();
    expect(v1?.isCa).toBe(false);
  });

  it("verifies openssl's BER CMS (indefinite lengths, chunked content, signer by key identifier) and catches changes", async () => {
    const pki = await cityPki();
    const dir = tempDir();
    run(
      'openssl',
      ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'k.pem'],
      dir,
    );
    const spki = new Uint8Array(
      execFileSync('openssl', ['pkey', '-in', 'k.pem', '-pubout', '-outform', 'DER'], { cwd: dir }),
    );
    const leaf = await pki.issuing.issue({
      profile: 'official',
      subject: { commonName: 'Lê Văn Cường', organization: 'UBND phường Ba Đình', country: 'VN' },
      subjectPublicKey: spki,
      validity: { notBefore: new Date(Date.now() - DAY), notAfter: new Date(Date.now() + DAY) },
    });
    writeTemp(dir, 'leaf.pem', pemEncode('CERTIFICATE', leaf));
    writeTemp(dir, 'issuing.pem', pemEncode('CERTIFICATE', pki.issuing.certificate));
    const content = new TextEncoder().encode('Biên bản bàn giao hồ sơ lưu trữ.\n'.repeat(800));
    writeTemp(dir, 'content.txt', content);
    const sign = (out: string, extra: readonly string[]) => {
      run(
        'openssl',
        [
          'cms',
          '-sign',
          '-binary',
          '-stream',
          '-signer',
          'leaf.pem',
          '-inkey',
          'k.pem',
          '-certfile',
          'issuing.pem',
        ].concat(extra, ['-in', 'content.txt', '-outform', 'DER', '-out', out]),
        dir,
      );
      return new Uint8Array(readFileSync(join(dir, out)));
    };
    const detached = sign('detached.p7s', ['-keyid']);
    // BER: a SEQUENCE of indefinite length, as a streaming encoder writes it.
    expect([...detached.subarray(0, 2)]).toEqual([0x30, 0x80]);

    const report = await verifyDetachedCades(detached, content, { trust: pki.trust });
    expect(report.problems).toEqual([]);
    expect(report.verdict).toBe('valid');
    expect(report.signer?.commonName).toBe('Lê Văn Cường');

    const changed = content.slice();
    changed[10] = (changed[10] ?? 0) ^ 1;
    const onChanged = await verifyDetachedCades(detached, changed, { trust: pki.trust });
    expect(onChanged.verdict).toBe('invalid');
    expect(onChanged.digestValid).toBe(false);

    // The message-digest attribute changed in place: the signature over the signed attributes breaks.
    const digestAt = Buffer.from(detached).indexOf(Buffer.from(sha256(content)));
    expect(digestAt).toBeGreaterThan(0);
    const forged = detached.slice();
    forged[digestAt] = (forged[digestAt] ?? 0) ^ 1;
    const onForged = await verifyDetachedCades(forged, content, { trust: pki.trust });
    expect(onForged.verdict).toBe('invalid');
    expect(onForged.signatureValid).toBe(false);

    const attached = parseSignedData(sign('attached.p7s', ['-nodetach']));
    expect(attached.eContent).toEqual(content);
    expect(attached.signerCertificate?.subject.commonName).toBe('Lê Văn Cường');
  });

  it('keeps one parsed object per certificate and CRL, copied from the input, and the same answers when cold', async () => {
    const pki = await cityPki();
    const der = pki.officials.chairDeputy.certificate;
    clearParseCaches();
    const input = der.slice();
    const first = parseCertificate(input);
    input[input.length - 1] = (input[input.length - 1] ?? 0) ^ 1;
    expect(first.der).toEqual(der);
    expect(parseCertificate(der.slice())).toBe(first);
    // The changed bytes are another certificate, whose signature no longer verifies.
    expect(parseCertificate(input)).not.toBe(first);
    expect(isIssuedBy(first, pki.issuing.info)).toBe(true);
    expect(isIssuedBy(parseCertificate(input), pki.issuing.info)).toBe(false);

    const registry = RevocationRegistry.empty().revoke(
      first.serial,
      new Date(Date.now() - DAY),
      'keyCompromise',
    );
    const crl = await pki.issuing.createCrl({
      registry,
      thisUpdate: new Date(),
      nextUpdate: new Date(Date.now() + DAY),
      crlNumber: 7n,
    });
    const parsed = parseCrl(crl);
    expect(parseCrl(crl.slice())).toBe(parsed);
    expect(parsed.crlNumber).toBe(7n);
    expect(parsed.entries).toEqual([
      { serial: first.serial, revokedAt: expect.any(Date), reason: 'keyCompromise' },
    ]);
    expect(parsed.isSignedBy(pki.issuing.info)).toBe(true);
    expect(parsed.isSignedBy(pki.root.info)).toBe(false);
    const badCrl = crl.slice();
    badCrl[badCrl.length - 1] = (badCrl[badCrl.length - 1] ?? 0) ^ 1;
    expect(parseCrl(badCrl).isSignedBy(pki.issuing.info)).toBe(false);

    // The verdict of a whole signing chain (timestamps, stamped number, seal) does not depend on the caches.
    const { acknowledged } = await signingChain(pki, 1);
    const warm = await verifyPdf(acknowledged, { trust: pki.trust });
    clearParseCaches();
    const cold = await verifyPdf(acknowledged, { trust: pki.trust });
    expect(cold).toEqual(warm);
    expect(warm.verdict).toBe('valid');
  });

  it('a certificate from an impostor CA with the same name fails, also after the real one was checked', async () => {
    const pki = await cityPki();
    const real = pki.officials.chairDeputy;
    const impostorRoot = await CertificateAuthority.createRoot({
      signer: InMemorySigner.generate('impostor'),
      subject: parseCertificate(pki.issuing.certificate).subject,
      validity: { notBefore: new Date(Date.now() - DAY), notAfter: new Date(Date.now() + 30 * DAY) },
    });
    const forged = parseCertificate(
      await impostorRoot.issue({
        profile: 'official',
        subject: parseCertificate(real.certificate).subject,
        subjectPublicKey: await real.signer.publicKeySpki(),
        validity: { notBefore: new Date(Date.now() - DAY), notAfter: new Date(Date.now() + DAY) },
      }),
    );
    const at = new Date();
    const realPath = validatePath({
      certificate: parseCertificate(real.certificate),
      intermediates: [pki.issuing.info],
      trust: pki.trust,
      at,
    });
    expect(realPath.valid).toBe(true);
    expect(forged.issuerDer).toEqual(pki.issuing.info.subjectDer);
    const forgedPath = validatePath({
      certificate: forged,
      intermediates: [pki.issuing.info],
      trust: pki.trust,
      at,
    });
    expect(forgedPath.trusted).toBe(false);
    expect(forgedPath.problems).toContain(`no issuer found for "${forged.subject.display}"`);
  });

  it('reads times as asn1js does, fractions of a second included (RFC 3161 genTime)', () => {
    const generalized = [
      '20261203101530Z',
      '20261203101530.5Z',
      '20261203101530.123Z',
      '20261203101530.9999Z',
      '20261203101530.125+0700',
      '2026120310Z',
    ];
    const utc = ['261203101530Z', '491231235959Z', '500101000000Z', '2612031015Z'];
    const read = (node: asn1js.BaseBlock) => Der.read(new Uint8Array(node.toBER()), 'time').time();
    for (const value of generalized) {
      const node = new asn1js.GeneralizedTime({ value });
      expect(read(node).getTime(), value).toBe(node.toDate().getTime());
    }
    for (const value of utc) {
      const node = new asn1js.UTCTime({ value });
      expect(read(node).getTime(), value).toBe(node.toDate().getTime());
    }
  });

  it('refuses truncated, over-long and too deeply nested input, ignores padding, and reads long OIDs', () => {
    const hex = (h: string) => new Uint8Array(Buffer.from(h.replace(/ /g, ''), 'hex'));
    // 2.25.<a UUID as an integer>: arcs beyond 2^53.
    const uuidOid = '2.25.329800735698586629295641978511506172918';
    const encoded = derOf(new asn1js.ObjectIdentifier({ value: uuidOid }));
    expect(Der.read(encoded, 'oid').oid()).toBe(uuidOid);
    expect(Der.read(hex('06 03 2a 86 48 00 00 00'), 'oid').oid()).toBe('1.2.840');
    expect(() => Der.read(hex('30 05 02 01 01'), 'x').children()).toThrow(/truncated/);
    expect(() => Der.read(hex('30 85 01 00 00 00 00'), 'x')).toThrow(/bad length/);
    expect(() => Der.read(hex('04 80 00 00'), 'x')).toThrow(/indefinite length on a primitive/);
    expect(() => Der.read(hex('30 80 02 01 01'), 'x')).toThrow(/missing element/);
    expect(() => Der.read(hex('30 04 00 00 02 00'), 'x').children()).toThrow(/end-of-contents/);
    const deep = new Uint8Array(2 * 100 + 2).fill(0);
    for (let i = 0; i < 100; i++) deep.set([0x30, 0x80], 2 * i);
    expect(() => Der.read(deep, 'x')).toThrow(/nested too deeply/);
    const chunked = Der.read(hex('24 80 04 02 61 62 04 01 63 00 00'), 'x');
    expect(Buffer.from(chunked.octets()).toString()).toBe('abc');
  });
});
