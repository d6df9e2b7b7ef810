/**
 * Uploads a file as a browser form would to a presigned POST the API handed out: a multipart form of the
 * target's fields, in order, with the file last (S3 ignores whatever follows the file).
 */
export function uploadTo(
  upload: { url: string; fields: Readonly<Record<string, string>> },
  body: Uint8Array | Blob | string,
  type?: string,
): Promise<Response> {
  const form = new FormData();
  for (const [name, value] of Object.entries(upload.fields)) form.append(name, value);
  const contentType = type ?? upload.fields['Content-Type'] ?? 'application/octet-stream';
  const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
  form.append(
    'file',
    bytes instanceof Blob ? bytes : new Blob([new Uint8Array(bytes)], { type: contentType }),
  );
  return fetch(upload.url, { method: 'POST', body: form });
}
