import { createHash, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { PDF, PdfDict, PdfName, PdfNumber, type PdfObject, PdfRef, PdfStream } from '@libpdf/core';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { pemDecodeAll } from '../../lambdas/core/pki/asn1';
import { demoPeople } from '../../local/seed';
import { signaturePng } from '../../local/signature-art';
import { api, login, operatorS3, stack, stateFingerprint } from '../support/api';
import { get, post, type Signers, signed, type View } from '../support/flow';
import { nssDbTrusting, pdfsig, tempDir } from '../support/pdf-tools';
import { uploadTo } from '../support/upload';

/**
 * An official registers and replaces their own signature image through the API (presigned upload, then a
 * checked confirm); their next signature draws it, documents signed before keep the image they were signed
 * with, and every signature stays valid for poppler. Bad images and other people's ids are refused with a
 * message in the caller's language, and change nothing.
 */

// Sóc Sơn's chairman signs nothing in the other test files: this file owns their image.
const OFFICIAL = 'soc-son-chairman';
const FIELD = `docflow-personal-${OFFICIAL}`;
const SOC_SON: Signers = {
  drafter: 'soc-son-specialist',
  approver: OFFICIAL,
  signer: OFFICIAL,
  capacity: { capacity: 'TM' },
};
const imagePath = (personId = OFFICIAL) => `/api/people/${personId}/signature-image`;

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function download(url: string): Promise<Uint8Array> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  return new Uint8Array(await response.arrayBuffer());
}

async function fileOf(id: string, userId = OFFICIAL): Promise<Uint8Array> {
  const { url } = await get(userId, `/api/documents/${id}/file?redirect=false`);
  return download(url);
}

/** Uploads bytes to a fresh upload URL of `personId`'s signature image, as the web page does. */
async function upload(bytes: Uint8Array | string, personId = OFFICIAL): Promise<string> {
  const started = await post(personId, `${imagePath(personId)}/uploads`);
  expect(started.upload).toMatchObject({ method: 'POST', maxBytes: 512 * 1024 });
  const put = await uploadTo(started.upload, bytes);
  expect(put.ok).toBe(true);
  return started.uploadId as string;
}

/** The image XObjects drawn by a signature field's appearance stream. */
async function imagesDrawn(pdfBytes: Uint8Array, fieldName: string) {
  const pdf = await PDF.load(pdfBytes);
  const resolve = (o: PdfObject | undefined) => (o instanceof PdfRef ? pdf.context.registry.resolve(o) : o);
  const field = pdf
    .getForm()
    ?.getSignatureFields()
    .find((f) => f.name === fieldName);
  expect(field, fieldName).toBeDefined();
  const ap = resolve(field?.getDict().get('AP'));
  const normal = ap instanceof PdfDict ? resolve(ap.get('N')) : undefined;
  expect(normal).toBeInstanceOf(PdfStream);
  const resources = resolve((normal as PdfStream).get('Resources'));
  const xobjects = resources instanceof PdfDict ? resolve(resources.get('XObject')) : undefined;
  const images: { width: number; height: number; softMask: boolean }[] = [];
  if (!(xobjects instanceof PdfDict)) return images;
  for (const [, value] of xobjects) {
    const xobject = resolve(value);
    if (!(xobject instanceof PdfStream)) continue;
    const subtype = xobject.get('Subtype');
    if (!(subtype instanceof PdfName) || subtype.value !== 'Image') continue;
    const number = (key: string) => {
      const n = resolve(xobject.get(key));
      return n instanceof PdfNumber ? n.value : Number.NaN;
    };
    images.push({ width: number('Width'), height: number('Height'), softMask: xobject.has('SMask') });
  }
  return images;
}

async function expectValidForPoppler(pdfBytes: Uint8Array): Promise<void> {
  const roots = await api<string>('GET', '/api/pki/roots');
  const file = join(tempDir(), 'signed.pdf');
  writeFileSync(file, pdfBytes);
  const { signatures } = pdfsig(file, nssDbTrusting(pemDecodeAll(roots.body, 'CERTIFICATE')));
  expect(signatures.length).toBeGreaterThan(0);
  for (const s of signatures) {
    expect(s.signatureValid, s.block).toBe(true);
    expect(s.certificateTrusted, s.block).toBe(true);
  }
}

async function archiveKeys(prefix: string): Promise<string[]> {
  const env = stack().environment;
  const s3 = operatorS3();
  try {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: env.DOCFLOW_ARCHIVE_BUCKET, Prefix: prefix }),
    );
    return (page.Contents ?? []).map((o) => o.Key ?? '');
  } finally {
    s3.destroy();
  }
}

describe("an official's signature image", () => {
  const name = demoPeople.find((p) => p.id === OFFICIAL)?.name ?? '';
  const replacement = signaturePng(`${name} (mẫu chữ ký mới)`, { width: 317, height: 101 });
  let seeded: View;
  let signedBefore: string;
  let signedBeforeSha: string;

  it('is the seeded one at first, and a signature draws it', async () => {
    seeded = (await get(OFFICIAL, imagePath())).image;
    expect(seeded).toMatchObject({ width: 480, height: 160, sha256: sha256(signaturePng(name)) });
    expect(sha256(await download(seeded.url))).toBe(seeded.sha256);

    signedBefore = await signed(SOC_SON);
    const pdf = await fileOf(signedBefore);
    signedBeforeSha = sha256(pdf);
    expect(await imagesDrawn(pdf, FIELD)).toEqual([{ width: 480, height: 160, softMask: true }]);
  });

  it('is replaced by an upload and a confirm; the old image is kept; a retry changes nothing', async () => {
    const uploadId = await upload(replacement);
    const key = randomUUID();
    const first = await post(OFFICIAL, imagePath(), { uploadId }, { 'idempotency-key': key });
    expect(first).toMatchObject({
      changed: true,
      image: { width: 317, height: 101, bytes: replacement.length, sha256: sha256(replacement) },
    });
    expect(sha256(await download(first.image.url))).toBe(sha256(replacement));

    const fingerprint = await stateFingerprint();
    // The same request again (a client retry): the first answer, word for word.
    expect(await post(OFFICIAL, imagePath(), { uploadId }, { 'idempotency-key': key })).toEqual(first);
    // Confirmed again without a key: the image is already the current one.
    const again = await post(OFFICIAL, imagePath(), { uploadId });
    expect(again).toMatchObject({ changed: false, image: { sha256: first.image.sha256 } });
    expect(await stateFingerprint()).toBe(fingerprint);

    expect((await get(OFFICIAL, imagePath())).image).toMatchObject({ sha256: sha256(replacement) });
    const kept = await archiveKeys(`signature-images/${OFFICIAL}/`);
    expect(kept).toEqual(
      expect.arrayContaining([
        `signature-images/${OFFICIAL}/${seeded.sha256}.png`,
        `signature-images/${OFFICIAL}/${sha256(replacement)}.png`,
      ]),
    );
  });

  it('new signatures draw the new image; the document signed before is unchanged; all valid for poppler', async () => {
    const after = await fileOf(await signed(SOC_SON));
    expect(await imagesDrawn(after, FIELD)).toEqual([{ width: 317, height: 101, softMask: true }]);

    const before = await fileOf(signedBefore);
    expect(sha256(before)).toBe(signedBeforeSha);
    expect(await imagesDrawn(before, FIELD)).toEqual([{ width: 480, height: 160, softMask: true }]);

    await expectValidForPoppler(after);
    await expectValidForPoppler(before);
  });

  describe('bad input is refused in the caller’s language and changes nothing', () => {
    const uploads: Record<string, string> = {};
    let fingerprint: string;

    beforeAll(async () => {
      uploads.text = await upload('Đây không phải là ảnh chữ ký.');
      // Over 512 KiB: storage itself refuses the upload (the POST policy's content-length-range)…
      const big = new Uint8Array(600 * 1024);
      big.set(replacement);
      const started = await post(OFFICIAL, `${imagePath()}/uploads`);
      const refusedBig = await uploadTo(started.upload, big);
      expect(refusedBig.status).toBe(400);
      expect(await refusedBig.text()).toContain('<Code>EntityTooLarge</Code>');
      // …and were it stored anyway (written here with the operator's credentials), the API refuses it
      // from its size alone, before it is read.
      const env = stack().environment;
      const operator = operatorS3();
      await operator.send(
        new PutObjectCommand({
          Bucket: env.DOCFLOW_INTAKE_BUCKET,
          Key: started.upload.fields.key,
          Body: big,
          ContentType: 'image/png',
        }),
      );
      operator.destroy();
      uploads.big = started.uploadId as string;
      uploads.truncated = await upload(replacement.subarray(0, replacement.length - 40));
      uploads.opaque = await upload(opaqueCopy(replacement));
      uploads.black = await upload(blackCopy(signaturePng(name)));
      uploads.valid = await upload(signaturePng(`${name} (không được xác nhận)`));
      for (const user of [OFFICIAL, 'city-chairman', 'soc-son-specialist']) await login(user);
      fingerprint = await stateFingerprint();
    }, 120_000);

    async function refused(
      user: string,
      method: 'GET' | 'POST',
      path: string,
      body: unknown,
      expected: { status: number; code: string },
      language: 'vi' | 'en' = 'vi',
    ): Promise<string> {
      const response = await api<View>(method, path, {
        token: await login(user),
        body,
        headers: { 'accept-language': language },
      });
      expect({ status: response.status, code: response.body?.error?.code }, `${method} ${path}`).toEqual(
        expected,
      );
      return response.body.error.message as string;
    }

    it.each([
      ['text', 415, 'signature_image_not_png', /PNG/],
      ['big', 413, 'signature_image_too_large', /512|524288/],
      ['truncated', 422, 'signature_image_damaged', /hỏng/],
      ['opaque', 422, 'signature_image_not_transparent', /trong suốt/],
      ['black', 422, 'signature_image_not_blue', /màu xanh/],
    ] as const)('%s → %i %s', async (upload, status, code, vi) => {
      const body = { uploadId: uploads[upload] };
      expect(await refused(OFFICIAL, 'POST', imagePath(), body, { status, code })).toMatch(vi);
      const en = await refused(OFFICIAL, 'POST', imagePath(), body, { status, code }, 'en');
      expect(en).not.toMatch(/[ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹđ]/i);
    });

    it("someone else's person id → 404 like an unknown one, whatever the route: existence does not leak", async () => {
      const notYours = { status: 404, code: 'not_found' };
      await refused('city-chairman', 'GET', imagePath(), undefined, notYours);
      await refused('city-chairman', 'POST', `${imagePath()}/uploads`, {}, notYours);
      // Even with an upload id the official really was given.
      await refused('city-chairman', 'POST', imagePath(), { uploadId: uploads.valid }, notYours);
      await refused('soc-son-specialist', 'POST', imagePath(), { uploadId: uploads.valid }, notYours);
      const unknown = { status: 404, code: 'not_found' };
      await refused(OFFICIAL, 'GET', imagePath('khong-co-nguoi-nay'), undefined, unknown);
      await refused(OFFICIAL, 'POST', `${imagePath('khong-co-nguoi-nay')}/uploads`, {}, unknown);
    });

    it('an upload id never uploaded → 409; a malformed one or unknown fields → 400', async () => {
      await refused(
        OFFICIAL,
        'POST',
        imagePath(),
        { uploadId: randomUUID() },
        {
          status: 409,
          code: 'signature_image_upload_missing',
        },
      );
      const invalid = { status: 400, code: 'validation_failed' };
      expect(await refused(OFFICIAL, 'POST', imagePath(), { uploadId: '../x' }, invalid)).toMatch(/uploadId/);
      await refused(OFFICIAL, 'POST', imagePath(), {}, invalid);
      await refused(OFFICIAL, 'POST', imagePath(), { uploadId: uploads.valid, personId: 'x' }, invalid);
      await refused(OFFICIAL, 'POST', `${imagePath()}/uploads`, { contentType: 'image/png' }, invalid);
    });

    it('after all the refusals, nothing stored has changed and the image is still the last one registered', async () => {
      expect(await stateFingerprint()).toBe(fingerprint);
      expect((await get(OFFICIAL, imagePath())).image).toMatchObject({ sha256: sha256(replacement) });
    });
  });

  it('is removed by its owner only: later signatures draw none, earlier documents keep theirs, a repeat changes nothing', async () => {
    const stranger = await api<View>('DELETE', imagePath(), { token: await login('city-chairman') });
    expect({ status: stranger.status, code: stranger.body.error?.code }).toEqual({
      status: 404,
      code: 'not_found',
    });
    expect((await get(OFFICIAL, imagePath())).image).toMatchObject({ sha256: sha256(replacement) });

    const token = await login(OFFICIAL);
    const removed = await api<View>('DELETE', imagePath(), { token });
    expect(removed.status).toBe(200);
    expect(removed.body).toEqual({ image: null, changed: true });
    expect((await get(OFFICIAL, imagePath())).image).toBeNull();
    const settled = await stateFingerprint();
    expect((await api<View>('DELETE', imagePath(), { token })).body).toEqual({ image: null, changed: false });
    expect(await stateFingerprint()).toBe(settled);

    // The next signature has the title lines and the name only; the one signed before still has its image.
    const after = await fileOf(await signed(SOC_SON));
    expect(await imagesDrawn(after, FIELD)).toEqual([]);
    await expectValidForPoppler(after);
    expect(await imagesDrawn(await fileOf(signedBefore), FIELD)).toHaveLength(1);
    // The archive keeps every image it held.
    expect(await archiveKeys(`signature-images/${OFFICIAL}/`)).toContain(
      `signature-images/${OFFICIAL}/${sha256(replacement)}.png`,
    );

    // Registering an image again makes it current again.
    const again = await post(OFFICIAL, imagePath(), { uploadId: await upload(replacement) });
    expect(again).toMatchObject({ changed: true, image: { sha256: sha256(replacement) } });
  });
});

/** The same PNG with every transparent pixel made opaque white (as a scan or a photo would be). */
function opaqueCopy(png: Uint8Array): Uint8Array {
  return recolour(png, (pixel) => (pixel[3] === 0 ? [255, 255, 255, 255] : pixel));
}

/** The same strokes in black ink. */
function blackCopy(png: Uint8Array): Uint8Array {
  return recolour(png, ([, , , a]) => [0, 0, 0, a]);
}

function recolour(bytes: Uint8Array, map: (pixel: [number, number, number, number]) => readonly number[]) {
  const png = PNG.sync.read(Buffer.from(bytes));
  for (let i = 0; i < png.data.length; i += 4) {
    const pixel = [png.data[i], png.data[i + 1], png.data[i + 2], png.data[i + 3]] as [
      number,
      number,
      number,
      number,
    ];
    png.data.set(map(pixel), i);
  }
  return new Uint8Array(PNG.sync.write(png));
}
