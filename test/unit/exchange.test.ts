import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../lambdas/core/errors';
import {
  agencyCodeOf,
  CITY_AGENCY_CODE,
  organisationByAgencyCode,
} from '../../lambdas/core/exchange/agency-codes';
import { Base64Decoder, encodeBase64 } from '../../lambdas/core/exchange/base64';
import { buildPackage, buildStatus } from '../../lambdas/core/exchange/build';
import { exchangeTimestamp, packageHeaderOf } from '../../lambdas/core/exchange/from-document';
import { PackageHeaderSchema, STATUS_CODES, type StatusMessage } from '../../lambdas/core/exchange/model';
import { type AttachmentSink, parsePackage, parseStatus } from '../../lambdas/core/exchange/parse';
import { schemaCheck } from '../../lambdas/core/exchange/validate';
import { exchangeMessages, exchangeStatusCode } from '../../lambdas/core/i18n/exchange';
import { signingChain } from '../fixtures/signing-flow';
import { nssDbTrusting, pdfsig, tempDir, writeTemp } from '../support/pdf-tools';
import { cityPki } from '../support/pki-fixtures';
import { directory, NOW, sentDocument } from './domain-fixtures';

/*
 * edXML (QCVN 102:2016/BTTTT) packages: built from an issued document, schema-valid, read back into the
 * same model with the same bytes; status messages both ways; malformed packages refused with a reason.
 */

const check = schemaCheck(
  readFileSync(new URL('../../lambdas/core/exchange/qcvn-102-2016.xsd', import.meta.url), 'utf8'),
);
const MINISTRY = { organId: '000.00.00.G22', organName: 'Bộ Nội vụ' };
const pdf = new Uint8Array(200_003).map((_, i) => (i * 7919) % 256);
const appendix = new TextEncoder().encode('%PDF-1.7 phụ lục');

async function* chunked(bytes: Uint8Array, size = 8191): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}
async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const c of chunks) parts.push(c);
  return Buffer.concat(parts);
}
function memorySinks() {
  const files = new Map<string, Uint8Array[]>();
  const sink = (id: string): AttachmentSink => {
    const parts: Uint8Array[] = [];
    files.set(id, parts);
    return { write: (b) => void parts.push(Uint8Array.from(b)), end: () => {} };
  };
  return { sink, bytes: (id: string) => Buffer.concat(files.get(id) ?? []) };
}
async function join(parts: AsyncIterable<string>): Promise<string> {
  let all = '';
  for await (const part of parts) all += part;
  return all;
}
const text = (s: string) => chunked(new TextEncoder().encode(s), 37);

function header() {
  const { doc } = sentDocument();
  const city = directory.city;
  return packageHeaderOf({
    document: { ...doc, dueDate: '2026-01-20', pageCount: 2 },
    issuer: city,
    issuerCode: agencyCodeOf(directory, city),
    recipients: [MINISTRY],
    attachments: [
      { contentId: 'document', contentType: 'application/pdf', attachmentName: '01-QD-UBND.pdf' },
      { contentId: 'appendix-1', contentType: 'application/pdf', attachmentName: 'phu-luc.pdf' },
    ],
    now: NOW,
  });
}
const contents = (id: string) => chunked(id === 'document' ? pdf : appendix);

async function refusal(promise: Promise<unknown>): Promise<{ code: string; vi: string; en: string }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  const e = error as DomainError;
  const params = e.params as Record<string, string>;
  return {
    code: e.code,
    vi: exchangeMessages.render(e.code as never, 'vi', params),
    en: exchangeMessages.render(e.code as never, 'en', params),
  };
}

describe('agency codes', () => {
  it('gives every organisation a distinct code of the national shape, and finds it back', () => {
    const codes = directory.organisations.map((o) => agencyCodeOf(directory, o));
    expect(new Set(codes).size).toBe(directory.organisations.length);
    for (const code of codes) expect(code).toMatch(/^\d{3}\.\d{2}\.\d{2}\.H26$/);
    expect(agencyCodeOf(directory, directory.city)).toBe(CITY_AGENCY_CODE);
    const ward = directory.get('phuong-ba-dinh');
    expect(agencyCodeOf(directory, ward)).toBe('000.04.01.H26');
    expect(organisationByAgencyCode(directory, '000.04.01.H26')?.id).toBe('phuong-ba-dinh');
    expect(organisationByAgencyCode(directory, MINISTRY.organId)).toBeUndefined();
  });
});

describe('base64 in chunks', () => {
  it('encodes and decodes any chunking to the same bytes as whole-buffer base64', async () => {
    for (const size of [1, 2, 3, 4, 5, 1000]) {
      const encoded = await join(encodeBase64(chunked(pdf.subarray(0, 3001), size)));
      expect(encoded).toBe(Buffer.from(pdf.subarray(0, 3001)).toString('base64'));
      const decoder = new Base64Decoder('x');
      const parts: Uint8Array[] = [];
      for (let i = 0; i < encoded.length; i += size + 1)
        parts.push(decoder.push(encoded.slice(i, i + size + 1)));
      parts.push(decoder.end());
      expect(Buffer.concat(parts).equals(Buffer.from(pdf.subarray(0, 3001)))).toBe(true);
    }
  });

  it('refuses characters outside the alphabet, data after the padding and a cut tail', () => {
    expect(() => new Base64Decoder('a').push('QUJD*')).toThrow(DomainError);
    expect(() => new Base64Decoder('a').push('QQ==QQ==')).toThrow(DomainError);
    expect(() => new Base64Decoder('a').push('Q===')).toThrow(DomainError);
    const cut = new Base64Decoder('a');
    cut.push('QUJDR');
    expect(() => cut.end()).toThrow(DomainError);
  });
});

describe('document packages', () => {
  it('builds a schema-valid package from an issued document and reads it back: same header, same bytes', async () => {
    const h = header();
    const xml = Buffer.from(await collect(buildPackage(h, contents))).toString('utf8');
    expect(xml).toContain('xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016"');
    expect(await check(xml)).toEqual([]);
    expect(xml).toContain('<edXML:DocumentId>000.00.00.H26,2026/01/05,01/QĐ-UBND</edXML:DocumentId>');
    expect(xml).toContain('<edXML:TypeName>Quyết định</edXML:TypeName>');

    const sinks = memorySinks();
    const parsed = await parsePackage(chunked(Buffer.from(xml), 4093), check, sinks.sink);
    const m = parsed.header.messageHeader;
    expect(m.from).toEqual({ organId: '000.00.00.H26', organName: 'Ủy ban nhân dân thành phố Hà Nội' });
    expect(m.to).toEqual([MINISTRY]);
    expect(m.code).toEqual({ codeNumber: '01', codeNotation: 'QĐ-UBND' });
    expect(m.promulgationInfo).toEqual({ place: 'Hà Nội', promulgationDate: '2026/01/05' });
    expect(m.subject).toBe('Về việc tổ chức Tết Nguyên đán Bính Ngọ 2026');
    expect(m.signerInfo.fullName).toBeTruthy();
    expect(m.signerInfo.competence).toBe('TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH');
    expect(m.dueDate).toBe('2026/01/20');
    expect(m.otherInfo).toEqual({ priority: 0, pageAmount: 2 });
    expect(parsed.header.traceHeaders).toEqual([
      { organId: '000.00.00.H26', timestamp: exchangeTimestamp(NOW) },
    ]);
    const plain = (v: unknown) => JSON.parse(JSON.stringify(v)) as unknown;
    expect(plain(parsed.header)).toEqual(plain(PackageHeaderSchema.parse(h)));
    expect(sinks.bytes('document').equals(Buffer.from(pdf))).toBe(true);
    expect(sinks.bytes('appendix-1').equals(Buffer.from(appendix))).toBe(true);
    expect(parsed.attachments.map((a) => [a.contentId, a.size, a.sha256])).toEqual([
      ['document', pdf.length, createHash('sha256').update(pdf).digest('hex')],
      ['appendix-1', appendix.length, createHash('sha256').update(appendix).digest('hex')],
    ]);
  });

  it('reads a package written by another system: its own prefix, line-wrapped base64, a recall', async () => {
    const b64 = Buffer.from(appendix).toString('base64');
    const wrapped = `${b64.slice(0, 10)}\n  ${b64.slice(10)}`;
    const xml = `<?xml version="1.0"?>
<ns2:edXML xmlns:ns2="http://www.mic.gov.vn/TBT/QCVN_102_2016"><ns2:edXMLEnvelope><ns2:edXMLHeader><ns2:MessageHeader>
<ns2:From><ns2:OrganId>000.00.00.G22</ns2:OrganId><ns2:OrganName>Bộ Nội vụ</ns2:OrganName></ns2:From>
<ns2:To><ns2:OrganId>000.04.01.H26</ns2:OrganId></ns2:To>
<ns2:DocumentId>000.00.00.G22,2026/01/05,15/CV-BNV</ns2:DocumentId>
<ns2:Code><ns2:CodeNumber>15</ns2:CodeNumber><ns2:CodeNotation>CV-BNV</ns2:CodeNotation></ns2:Code>
<ns2:PromulgationInfo><ns2:Place>Hà Nội</ns2:Place><ns2:PromulgationDate>2026/01/05</ns2:PromulgationDate></ns2:PromulgationInfo>
<ns2:DocumentType><ns2:Type>1</ns2:Type><ns2:TypeDetail>18</ns2:TypeDetail><ns2:TypeName>Công văn</ns2:TypeName></ns2:DocumentType>
<ns2:Subject>Về việc A &amp; B</ns2:Subject>
<ns2:SignerInfo><ns2:Position>Thứ trưởng</ns2:Position><ns2:FullName>Nguyễn Văn A</ns2:FullName></ns2:SignerInfo>
<ns2:OtherInfo><ns2:Priority>2</ns2:Priority></ns2:OtherInfo>
</ns2:MessageHeader><ns2:TraceHeaderList id="1" version="1.0"><ns2:Bussiness><ns2:BussinessDocType>1</ns2:BussinessDocType>
<ns2:BussinessDocReason>Sai sót</ns2:BussinessDocReason><ns2:Paper>0</ns2:Paper></ns2:Bussiness></ns2:TraceHeaderList></ns2:edXMLHeader>
<ns2:edXMLBody><ns2:edXMLManifest version="1.0"><ns2:Reference><ns2:ContentId>cid:a</ns2:ContentId>
<ns2:ContentType>application/pdf</ns2:ContentType><ns2:AttachmentName>cv.pdf</ns2:AttachmentName></ns2:Reference></ns2:edXMLManifest>
</ns2:edXMLBody></ns2:edXMLEnvelope>
<ns2:AttachmentEncoded><ns2:Attachment><ns2:ContentType>application/pdf</ns2:ContentType><ns2:ContentId>a</ns2:ContentId><ns2:ContentTransferEncoded>${wrapped}</ns2:ContentTransferEncoded></ns2:Attachment></ns2:AttachmentEncoded>
</ns2:edXML>`;
    const sinks = memorySinks();
    const parsed = await parsePackage(text(xml), check, sinks.sink);
    expect(parsed.header.messageHeader.subject).toBe('Về việc A & B');
    expect(parsed.header.messageHeader.business).toEqual({ docType: 'recall', reason: 'Sai sót' });
    expect(parsed.header.messageHeader.otherInfo.priority).toBe(2);
    expect(sinks.bytes('a').equals(Buffer.from(appendix))).toBe(true);
  });

  it('refuses a malformed package with a reason in Vietnamese and English', async () => {
    const good = Buffer.from(await collect(buildPackage(header(), contents))).toString('utf8');
    const cases: [string, string, RegExp][] = [
      ['<a><b></a>', 'exchange_not_xml', /không phải XML hợp lệ/],
      [
        good.replaceAll('http://www.mic.gov.vn/TBT/QCVN_102_2016', 'urn:other'),
        'exchange_not_edxml',
        /edXMLEnvelope/,
      ],
      [
        good.replace('<edXML:Subject>', '<edXML:Heading/><edXML:Subject>'),
        'exchange_schema_invalid',
        /QCVN 102:2016/,
      ],
      [good.replace(/<edXML:Subject>[^<]*<\/edXML:Subject>/, ''), 'exchange_header_invalid', /subject/],
      [good.replace('000.00.00.G22', 'BO-NOI-VU'), 'exchange_schema_invalid', /lược đồ/],
      [good.replace(/(<ContentTransferEncoded>)(.{8})/, '$1$2%%'), 'exchange_bad_base64', /base64/],
      [
        good.replace(/<Attachment><ContentId>appendix-1[\s\S]*?<\/Attachment>/, ''),
        'exchange_attachment_missing',
        /appendix-1/,
      ],
      [
        good.replaceAll('<ContentId>appendix-1</ContentId>', '<ContentId>document</ContentId>'),
        'exchange_attachment_duplicate',
        /document/,
      ],
    ];
    for (const [xml, code, vi] of cases) {
      const r = await refusal(parsePackage(text(xml), check, memorySinks().sink));
      expect(r.code, xml.slice(0, 80)).toBe(code);
      expect(r.vi).toMatch(vi);
      expect(r.en).not.toBe(r.vi);
    }
  });

  it('refuses to build from a header the standard does not allow', async () => {
    const h = header();
    const bad = { ...h, messageHeader: { ...h.messageHeader, to: [{ organId: 'bo-noi-vu' }] } };
    const r = await refusal(collect(buildPackage(bad, contents)));
    expect(r.code).toBe('exchange_header_invalid');
    expect(r.en).toMatch(/messageHeader\.to\.0\.organId/);
  });
});

describe('status messages', () => {
  const status: StatusMessage = {
    responseFor: {
      organId: '000.00.00.G22',
      code: '15/CV-BNV',
      promulgationDate: '2026/01/05',
      documentId: '000.00.00.G22,2026/01/05,15/CV-BNV',
    },
    from: { organId: '000.04.01.H26', organName: 'Ủy ban nhân dân phường Ba Đình' },
    status: 'arrived',
    timestamp: exchangeTimestamp(NOW),
  };

  it('builds each status schema-valid and reads it back', async () => {
    for (const s of [
      'arrived',
      'refused',
      'accepted',
      'assigned',
      'in-progress',
      'done',
      'recall-accepted',
    ] as const) {
      const message = { ...status, status: s, description: s === 'refused' ? 'Sai nơi nhận' : undefined };
      const xml = buildStatus(message);
      expect(await check(xml)).toEqual([]);
      expect(await parseStatus(xml, check)).toEqual(JSON.parse(JSON.stringify(message)));
    }
    expect(buildStatus(status)).toContain('<edXML:StatusCode>01</edXML:StatusCode>');
    expect(buildStatus({ ...status, status: 'done' })).toContain('<edXML:StatusCode>06</edXML:StatusCode>');
  });

  it('reads a status message as the exchange SDK writes it: a MessageHeader, StaffInfo before the code', async () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016"><edXML:edXMLEnvelope xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016">
<edXML:edXMLHeader><edXML:MessageHeader>
<edXML:From><edXML:OrganId>000.00.00.G22</edXML:OrganId><edXML:OrganName>Bộ Nội vụ</edXML:OrganName>
<edXML:OrganizationInCharge>Bộ Nội vụ</edXML:OrganizationInCharge><edXML:Email>a@b.vn</edXML:Email></edXML:From>
<edXML:ResponseFor><edXML:OrganId>000.04.01.H26</edXML:OrganId><edXML:Code>15/CV-BNV</edXML:Code>
<edXML:PromulgationDate>2026/01/05</edXML:PromulgationDate><edXML:DocumentId>000.00.00.G22,2026/01/05,15/CV-BNV</edXML:DocumentId></edXML:ResponseFor>
<edXML:StaffInfo><edXML:Department>Văn thư</edXML:Department><edXML:Staff>Trần B</edXML:Staff><edXML:Mobile>0900</edXML:Mobile></edXML:StaffInfo>
<edXML:StatusCode>13</edXML:StatusCode><edXML:Description>Lấy lại để sửa</edXML:Description>
<edXML:Timestamp>2026/01/06 09:15:00</edXML:Timestamp>
</edXML:MessageHeader></edXML:edXMLHeader></edXML:edXMLEnvelope></edXML>`;
    const parsed = await parseStatus(xml, check);
    expect(parsed.status).toBe('recall-requested');
    expect(parsed.from.organId).toBe('000.00.00.G22');
    expect(parsed.staff).toEqual({ department: 'Văn thư', staff: 'Trần B' });
    expect(parsed.responseFor.documentId).toBe('000.00.00.G22,2026/01/05,15/CV-BNV');
  });

  it('refuses an unknown status code and a document given as a status', async () => {
    const unknown = buildStatus(status).replace('<edXML:StatusCode>01<', '<edXML:StatusCode>99<');
    expect((await refusal(parseStatus(unknown, check))).code).toBe('exchange_schema_invalid');
    const doc = Buffer.from(await collect(buildPackage(header(), contents))).toString('utf8');
    expect((await refusal(parseStatus(doc, check))).code).toBe('exchange_not_status');
  });
});

describe('status names', () => {
  it('names every status in both languages', () => {
    for (const s of Object.keys(STATUS_CODES) as (keyof typeof STATUS_CODES)[]) {
      const code = exchangeStatusCode(s);
      expect(exchangeMessages.has(code), s).toBe(true);
    }
    expect(exchangeMessages.render(exchangeStatusCode('arrived'), 'vi')).toBe('Đã đến');
    expect(exchangeMessages.render(exchangeStatusCode('in-progress'), 'en')).toBe('In progress');
  });
});

describe('a signed decision through a package', () => {
  it('comes out byte for byte, and pdfsig still finds every signature valid and trusted', async () => {
    const pki = await cityPki();
    const { sealed } = await signingChain(pki, 1);
    const h = header();
    const only = {
      ...h,
      attachments: [{ contentId: 'document', contentType: 'application/pdf', attachmentName: 'qd.pdf' }],
    };
    const xml = await collect(buildPackage(only, () => chunked(sealed, 65_536)));
    const sinks = memorySinks();
    await parsePackage(chunked(xml, 10_007), check, sinks.sink);
    const out = sinks.bytes('document');
    expect(out.equals(Buffer.from(sealed))).toBe(true);
    const poppler = pdfsig(writeTemp(tempDir(), 'received.pdf', out), nssDbTrusting([pki.root.certificate]));
    expect(poppler.signatures.length).toBeGreaterThanOrEqual(2);
    for (const s of poppler.signatures) {
      expect(s.signatureValid, s.block).toBe(true);
      expect(s.certificateTrusted, s.block).toBe(true);
    }
  });
});
