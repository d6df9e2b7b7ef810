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
      'PDF work: content, preparing and making personal signatures and seals (through the signer), sending, registering',
    // Read at run time, so copied beside the bundle: the appearance fonts (lambdas/core/pdf/fonts.ts).
    assets: ['assets/fonts'],
  },
  inbox: {
    entry: 'lambdas/handlers/inbox.ts',
    description: 'Inbox folders and registers (read-only; the registers also as PDF, CSV and XLSX)',
    // The printed register embeds the Tinos fonts (lambdas/core/pdf/fonts.ts), read at run time.
    assets: ['assets/fonts'],
  },
  signatureActivation: {
    entry: 'lambdas/handlers/signature-activation.ts',
    description:
      "Signers' passkeys and authenticator apps; authorizes prepared signatures and issues activation data",
  },
  pki: {
    entry: 'lambdas/handlers/pki.ts',
    description: 'Trust anchors and revocation lists (public); certificate import (administrators)',
  },
  audit: {
    entry: 'lambdas/handlers/audit.ts',
    description: 'Verification, evidence packages, the transparency log, auditor search (read-only)',
  },
  notifications: {
    entry: 'lambdas/handlers/notifications.ts',
    description:
      "Each person's notifications, unread count and e-mail preferences; the sender's reminders to register",
  },
  exchange: {
    entry: 'lambdas/handlers/exchange.ts',
    description:
      'The national document exchange (edXML): sending issued documents to external agencies, their statuses, what came in',
    // The edXML schema is read at run time; xmllint-wasm (libxml2 in WebAssembly, run in a worker thread
    // from its own files) is not bundled but copied beside the bundle.
    assets: ['lambdas/core/exchange', 'node_modules/xmllint-wasm'],
    external: ['xmllint-wasm'],
  },
  webhooks: {
    entry: 'lambdas/handlers/webhooks.ts',
    description:
      "Organisations' webhooks: endpoints, signing secrets (sealed by KMS), deliveries and replays",
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

const route = <F extends FunctionName, A extends boolean>(fn: F, auth: A) =>
  ({ function: fn, auth }) as const;
const signedIn = <F extends FunctionName>(fn: F) => route(fn, true);
const open = <F extends FunctionName>(fn: F) => route(fn, false);

/**
 * Every route, keyed by the routeKey API Gateway sets (`POST /api/documents/{id}/sign`). Only the steps that
 * read or write PDFs (and so sign with or check keys) run in `signing`.
 */
export const routeTable = {
  'GET /api/health': open('system'),
  'GET /api/openapi.json': open('system'),
  'GET /api/me': signedIn('directory'),
  'GET /api/orgs': signedIn('directory'),
  'POST /api/documents': signedIn('documents'),
  'GET /api/documents/{id}': signedIn('documents'),
  'GET /api/documents/{id}/file': signedIn('documents'),
  'POST /api/documents/{id}/content': signedIn('signing'),
  // Attachments in files of their own (D30 Appendix I): checking an uploaded PDF is PDF work (signing).
  'POST /api/documents/{id}/attachments/uploads': signedIn('documents'),
  'POST /api/documents/{id}/attachments': signedIn('signing'),
  'DELETE /api/documents/{id}/attachments/{attachmentId}': signedIn('documents'),
  'GET /api/documents/{id}/attachments/{attachmentId}/file': signedIn('documents'),
  'POST /api/documents/{id}/submit': signedIn('documents'),
  'POST /api/documents/{id}/approve': signedIn('documents'),
  'POST /api/documents/{id}/signature-requests': signedIn('signing'),
  'POST /api/documents/{id}/sign': signedIn('signing'),
  'PUT /api/documents/{id}/placement': signedIn('signing'),
  'POST /api/documents/{id}/issue-requests': signedIn('signing'),
  'POST /api/documents/{id}/issue': signedIn('signing'),
  'POST /api/documents/{id}/send': signedIn('signing'),
  'POST /api/documents/{id}/archive': signedIn('signing'),
  'POST /api/documents/{id}/recall': signedIn('documents'),
  'POST /api/documents/{id}/return': signedIn('documents'),
  'POST /api/documents/{id}/register': signedIn('signing'),
  'POST /api/documents/{id}/assign': signedIn('documents'),
  'POST /api/documents/{id}/reassign': signedIn('documents'),
  'POST /api/documents/{id}/start': signedIn('documents'),
  'POST /api/documents/{id}/resolve': signedIn('documents'),
  'POST /api/documents/{id}/forward': signedIn('documents'),
  'GET /api/inbox': signedIn('inbox'),
  'GET /api/registers/outgoing': signedIn('inbox'),
  'GET /api/registers/incoming': signedIn('inbox'),
  'GET /api/registers/follow-up': signedIn('inbox'),
  'GET /api/statistics': signedIn('inbox'),
  'GET /api/pki/roots': open('pki'),
  'GET /api/pki/crl': open('pki'),
  // Administrators: a CSR signed by a seal's or an official's KMS key (signing holds those keys), and the
  // import of a certificate an external CA issued for it (the authority stores credentials).
  'POST /api/pki/csr': signedIn('signing'),
  'POST /api/pki/certificates': signedIn('pki'),
  'GET /api/people': signedIn('directory'),
  'PUT /api/people/{id}/position': signedIn('directory'),
  // Separation of duties (core/domain/administration.ts): a second administrator decides requests for an
  // administrator's or auditor's position; every change is in the hash-chained administration log.
  'GET /api/position-requests': signedIn('directory'),
  'POST /api/position-requests/{id}/approve': signedIn('directory'),
  'POST /api/position-requests/{id}/reject': signedIn('directory'),
  'GET /api/administration-log': signedIn('directory'),
  // TL./TUQ. delegations of signing (core/domain/delegations.ts), each change in the administration log.
  'GET /api/delegations': signedIn('directory'),
  'POST /api/delegations': signedIn('directory'),
  'POST /api/delegations/{id}/revoke': signedIn('directory'),
  // The administration screen (use-cases/administration.ts): people with their certificates, additions, departures.
  'GET /api/administration/people': signedIn('directory'),
  'POST /api/people': signedIn('directory'),
  'POST /api/people/{id}/departure': signedIn('directory'),
  'GET /api/people/{id}/signature-image': signedIn('directory'),
  'POST /api/people/{id}/signature-image/uploads': signedIn('directory'),
  'POST /api/people/{id}/signature-image': signedIn('directory'),
  'DELETE /api/people/{id}/signature-image': signedIn('directory'),
  // Sole control of signatures (docs/SECURITY.md): the activation function checks the signer's own factor.
  'GET /api/signature-activation/.well-known/openid-configuration': open('signatureActivation'),
  'GET /api/signature-activation/jwks.json': open('signatureActivation'),
  'GET /api/me/authenticators': signedIn('signatureActivation'),
  'POST /api/me/passkeys/options': signedIn('signatureActivation'),
  'POST /api/me/passkeys': signedIn('signatureActivation'),
  'DELETE /api/me/passkeys/{id}': signedIn('signatureActivation'),
  'POST /api/me/totp': signedIn('signatureActivation'),
  'POST /api/me/totp/confirm': signedIn('signatureActivation'),
  'DELETE /api/me/totp': signedIn('signatureActivation'),
  'POST /api/signature-authorizations/challenges': signedIn('signatureActivation'),
  'POST /api/signature-authorizations': signedIn('signatureActivation'),
  'GET /api/documents/{id}/verification': signedIn('audit'),
  'GET /api/documents/{id}/evidence': signedIn('audit'),
  'POST /api/verify': signedIn('audit'),
  'POST /api/verify/{id}': signedIn('audit'),
  'GET /api/transparency/head': signedIn('audit'),
  'GET /api/transparency/proof': signedIn('audit'),
  'GET /api/transparency/consistency': signedIn('audit'),
  'GET /api/audit/documents': signedIn('audit'),
  // Anyone checks a PDF docflow issued (use-cases/audit/public-check.ts); throttled (publicThrottle).
  'POST /api/public/checks': open('audit'),
  'POST /api/public/checks/{id}': open('audit'),
  'GET /api/notifications': signedIn('notifications'),
  'POST /api/notifications/read': signedIn('notifications'),
  'GET /api/notifications/preferences': signedIn('notifications'),
  'PUT /api/notifications/preferences': signedIn('notifications'),
  'GET /api/overdue': signedIn('notifications'),
  'POST /api/documents/{id}/recipient-reminders': signedIn('notifications'),
  // The national document exchange (issue 20): what the poller (internalFunctions.exchangePoller) took in.
  'POST /api/documents/{id}/external-sends': signedIn('exchange'),
  'GET /api/documents/{id}/external-deliveries': signedIn('exchange'),
  'GET /api/documents/{id}/external-deliveries/history': signedIn('exchange'),
  'GET /api/exchange/received': signedIn('exchange'),
  'GET /api/exchange/agencies': signedIn('exchange'),
  'POST /api/exchange/received/{id}/steps': signedIn('exchange'),
  'GET /api/exchange/received/{id}/history': signedIn('exchange'),
  // Webhooks for external systems (issue 16, docs/WEBHOOKS.md): the organisation's administrators.
  'GET /api/webhooks': signedIn('webhooks'),
  'POST /api/webhooks': signedIn('webhooks'),
  'PUT /api/webhooks/{id}': signedIn('webhooks'),
  'DELETE /api/webhooks/{id}': signedIn('webhooks'),
  'POST /api/webhooks/{id}/rotations': signedIn('webhooks'),
  'GET /api/webhooks/{id}/deliveries': signedIn('webhooks'),
  'POST /api/webhooks/{id}/deliveries/{deliveryId}/replay': signedIn('webhooks'),
} as const satisfies Record<`${HttpMethod} /api/${string}`, { function: FunctionName; auth: boolean }>;

export type RouteKey = keyof typeof routeTable;

/**
 * Open routes anyone can call that cost a PDF verification: API Gateway throttles each (all clients
 * together, lib/constructs/api.ts); the local gateway bounds each client to the burst and rate.
 */
export const publicThrottle = {
  routes: ['POST /api/public/checks', 'POST /api/public/checks/{id}'] as const satisfies readonly RouteKey[],
  /** Steady requests per second and burst, per route. */
  rateLimit: 5,
  burstLimit: 10,
};

/** The routes one function answers: its handler must have exactly these keys. */
export type RouteKeyOf<F extends FunctionName> = {
  [K in RouteKey]: (typeof routeTable)[K]['function'] extends F ? K : never;
}[RouteKey];

/** Routes behind the JWT authorizer: their handlers always have a caller. */
export type SignedInRouteKey = {
  [K in RouteKey]: (typeof routeTable)[K]['auth'] extends true ? K : never;
}[RouteKey];

export const routes: readonly RouteSpec[] = Object.entries(routeTable).map(([key, spec]) => {
  const [method, path] = key.split(' ') as [HttpMethod, string];
  return { method, path, ...spec };
});

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
  signer: {
    entry: 'lambdas/handlers/signer.ts',
    description:
      "Signs one digest with a holder's key when their activation data covers it (invoked by signing, no route)",
  },
  wordConverter: {
    entry: 'lambdas/handlers/word-converter.ts',
    description: 'Converts Word (.docx, .odt) drafts to PDF with LibreOffice (invoked by signing, no route)',
    // LibreOffice is no part of the Node runtime: a container image with Debian's package.
    image: { dockerfile: 'ops/word-converter/Dockerfile', memorySize: 2048 },
  },
  signatureReconciler: {
    entry: 'lambdas/handlers/signature-reconciler.ts',
    description:
      'Holds every kms:Sign on personal and seal keys against the authorizations that explain it (scheduled)',
  },
  treeHeadPublisher: {
    entry: 'lambdas/handlers/tree-head-publisher.ts',
    description:
      'Signs and stores the transparency log head on a schedule, so heads are published without readers',
  },
  archiveRenewer: {
    entry: 'lambdas/handlers/archive-renewer.ts',
    description:
      "Renews archived documents' archive timestamps (PAdES B-LTA) before their evidence lapses (scheduled)",
    // The PDF writer it shares with `signing` can draw appearances (a document timestamp has none).
    assets: ['assets/fonts'],
  },
  live: {
    entry: 'lambdas/handlers/live.ts',
    description:
      "The live inbox's WebSocket routes: keeps and forgets connections (WebSocket API, no HTTP route)",
  },
  liveAuthorizer: {
    entry: 'lambdas/handlers/live-authorizer.ts',
    description: "Checks the ID token of a live inbox connection (the WebSocket API's $connect authorizer)",
  },
  reminders: {
    entry: 'lambdas/handlers/reminders.ts',
    description:
      'Reminds handlers and leaders of deadlines and escalates timed flash documents not received (scheduled)',
  },
  exchangePoller: {
    entry: 'lambdas/handlers/exchange-poller.ts',
    description:
      'Takes what waits at the national document exchange for the city and retries pending external sends (scheduled)',
    assets: ['lambdas/core/exchange', 'node_modules/xmllint-wasm', 'assets/fonts'],
    external: ['xmllint-wasm'],
    // A 64 MB package is fetched, checked and stored within one run; nobody waits on it.
    timeoutSeconds: 300,
  },
  webhookSender: {
    entry: 'lambdas/handlers/webhook-sender.ts',
    description: 'Sends the webhook deliveries due, signed; backs off, then dead-letters (scheduled)',
    // Up to 200 deliveries, ten at a time, each bounded to 10 s.
    timeoutSeconds: 300,
  },
} as const;

export type InternalFunctionName = keyof typeof internalFunctions;
