/**
 * Uploads a file as a browser form would to a presigned POST the API handed out: a multipart form of the
 * target's fields, in order, with the file last (S3 ignores whatever follows the file).
 */
export function uploadTo(
  upload: { url: string; fields: Readonly<Record<string, string>> },
  body: Uint8Array | Blob,
  type?: string,
): Promise<Response> {
  const form = new FormData();
  for (const [name, value] of Object.entries(upload.fields)) form.append(name, value);
  const contentType = type ?? upload.fields['Content-Type'] ?? 'application/octet-stream';
  form.append('file', body instanceof Blob ? body : new Blob([new Uint8Array(body)], { type: contentType }));
  return fetch(upload.url, { method: 'POST', body: form });
}
