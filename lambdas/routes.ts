/**
 * The HTTP API's route table: the single source for the CDK stack (one Lambda per function, one HTTP API
 * route per entry) and for the local gateway (which imports the very same handler modules).
 */

export const functions = {
  system: { entry: 'lambdas/handlers/system.ts', description: 'Health and the OpenAPI document' },
  directory: { entry: 'lambdas/handlers/directory.ts', description: 'Organisations, people and positions' },
  documents: {
    entry: 'lambdas/handlers/documents.ts',
    description: 'Drafting, approval and handling of documents (no PDF work, no keys)',
  },
  signing: {
    entry: 'lambdas/handlers/signing.ts',
    description:
      'PDF work with KMS keys: content, personal signatures, issuing with the seal, sending, registering',
    // Read at run time, so copied beside the bundle: the appearance fonts (lambdas/core/pdf/fonts.ts).
    assets: ['assets/fonts'],
  },
  inbox: { entry: 'lambdas/handlers/inbox.ts', description: 'Inbox folders and registers (read-only)' },
  pki: {
    entry: 'lambdas/handlers/pki.ts',
    description: 'Trust anchors and revocation lists (public); certificate import (administrators)',
  },
  audit: {
    entry: 'lambdas/handlers/audit.ts',
    description: 'Verification, evidence packages, the transparency log, auditor search (read-only)',
  },
} as const;

export type FunctionName = keyof typeof functions;
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface RouteSpec {
  readonly method: HttpMethod;
  /** API Gateway path template, e.g. `/api/documents/{id}/sign`. */
  readonly path: string;
  readonly function: FunctionName;
  /** Behind the JWT authorizer (Cognito when deployed, the local identity provider on a laptop). */
  readonly auth: boolean;
}

export const routes: readonly RouteSpec[] = [
  { method: 'GET', path: '/api/health', function: 'system', auth: false },
  { method: 'GET', path: '/api/openapi.json', function: 'system', auth: false },
  { method: 'GET', path: '/api/me', function: 'directory', auth: true },
  { method: 'GET', path: '/api/orgs', function: 'directory', auth: true },
  { method: 'POST', path: '/api/documents', function: 'documents', auth: true },
  { method: 'GET', path: '/api/documents/{id}', function: 'documents', auth: true },
  { method: 'GET', path: '/api/documents/{id}/file', function: 'documents', auth: true },
  ...(
    [
      ['content', 'signing'],
      ['submit', 'documents'],
      ['approve', 'documents'],
      ['sign', 'signing'],
      ['issue', 'signing'],
      ['send', 'signing'],
      ['recall', 'documents'],
      ['replace', 'documents'],
      ['return', 'documents'],
      ['register', 'signing'],
      ['assign', 'documents'],
      ['reassign', 'documents'],
      ['start', 'documents'],
      ['resolve', 'documents'],
      ['forward', 'documents'],
    ] as const
  ).map(
    ([action, fn]): RouteSpec => ({
      method: 'POST',
      path: `/api/documents/{id}/${action}`,
      // Only actions that read or write PDFs (and so sign with or check keys) run in `signing`.
      function: fn,
      auth: true,
    }),
  ),
  { method: 'GET', path: '/api/inbox', function: 'inbox', auth: true },
  { method: 'GET', path: '/api/registers/outgoing', function: 'inbox', auth: true },
  { method: 'GET', path: '/api/registers/incoming', function: 'inbox', auth: true },
  { method: 'GET', path: '/api/pki/roots', function: 'pki', auth: false },
  { method: 'GET', path: '/api/pki/crl', function: 'pki', auth: false },
  // Administrators: a CSR signed by a seal's or an official's KMS key (signing holds those keys), and the
  // import of a certificate an external CA issued for it (the authority stores credentials).
  { method: 'POST', path: '/api/pki/csr', function: 'signing', auth: true },
  { method: 'POST', path: '/api/pki/certificates', function: 'pki', auth: true },
  { method: 'GET', path: '/api/people', function: 'directory', auth: true },
  { method: 'PUT', path: '/api/people/{id}/position', function: 'directory', auth: true },
  { method: 'GET', path: '/api/people/{id}/signature-image', function: 'directory', auth: true },
  { method: 'POST', path: '/api/people/{id}/signature-image/uploads', function: 'directory', auth: true },
  { method: 'POST', path: '/api/people/{id}/signature-image', function: 'directory', auth: true },
  { method: 'DELETE', path: '/api/people/{id}/signature-image', function: 'directory', auth: true },
  { method: 'GET', path: '/api/documents/{id}/verification', function: 'audit', auth: true },
  { method: 'GET', path: '/api/documents/{id}/evidence', function: 'audit', auth: true },
  { method: 'POST', path: '/api/verify', function: 'audit', auth: true },
  { method: 'POST', path: '/api/verify/{id}', function: 'audit', auth: true },
  { method: 'GET', path: '/api/transparency/head', function: 'audit', auth: true },
  { method: 'GET', path: '/api/transparency/proof', function: 'audit', auth: true },
  { method: 'GET', path: '/api/transparency/consistency', function: 'audit', auth: true },
  { method: 'GET', path: '/api/audit/documents', function: 'audit', auth: true },
];

/** `GET /api/orgs`: the routeKey API Gateway puts in each event. */
export const routeKey = (route: Pick<RouteSpec, 'method' | 'path'>): string =>
  `${route.method} ${route.path}`;

/**
 * Functions no route reaches: other functions invoke them (Lambda Invoke; locally the same requests go to
 * local/lambda-endpoint.ts). The certificate authority is one, so that the key that makes certificates and
 * CRLs is usable by one small function that parses no PDF and no request from the internet.
 */
export const internalFunctions = {
  certificateAuthority: {
    entry: 'lambdas/handlers/certificate-authority.ts',
    description: 'City CA: creates seal and official keys, issues certificates and CRLs (invoked, no route)',
  },
  treeHeadPublisher: {
    entry: 'lambdas/handlers/tree-head-publisher.ts',
    description:
      'Signs and stores the transparency log head on a schedule, so heads are published without readers',
  },
} as const;

export type InternalFunctionName = keyof typeof internalFunctions;
