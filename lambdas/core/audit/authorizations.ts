import { problemRef } from '../i18n/problems';
import { reportList } from '../i18n/reports';
import { checkAuthorization } from '../signing/assertion';
import { SignatureAuthorizationSchema } from '../signing/authorization';
import { problem } from './checks';
import { type AuthorizationAudit, type Problem, type RevisionAudit, short } from './report';

/*
 * Sole control, as the audit sees it (docs/SECURITY.md): every signature the log records carries its
 * signer's authorization. Each is checked offline: it names the digest the key signed, that digest is the
 * one of a signature in the file, and a passkey's assertion answers the authorization's statement with the
 * person verified. Signatures made before authorizations were recorded carry none and are not judged here.
 */

interface RawSignedEvent {
  readonly seq?: unknown;
  readonly type?: unknown;
  readonly payload?: { readonly signature?: { readonly authorization?: unknown } };
}

export function checkAuthorizations(
  events: readonly unknown[],
  revisions: readonly RevisionAudit[],
): { authorizations: AuthorizationAudit[]; problems: Problem[] } {
  const signedDigests = new Set(
    revisions.flatMap((r) => r.report?.signatures ?? []).flatMap((s) => s.signedAttributesSha256 ?? []),
  );
  const authorizations: AuthorizationAudit[] = [];
  const problems: Problem[] = [];
  for (const raw of events as readonly RawSignedEvent[]) {
    if ((raw?.type !== 'signed' && raw?.type !== 'issued') || typeof raw.seq !== 'number') continue;
    const found = raw.payload?.signature?.authorization;
    if (found === undefined) continue;
    const parsed = SignatureAuthorizationSchema.safeParse(found);
    if (!parsed.success) {
      problems.push(problem('authorization-malformed', 'audit_authorization_malformed', { seq: raw.seq }));
      continue;
    }
    const authorization = parsed.data;
    const check = checkAuthorization(authorization);
    const signatureFound = signedDigests.has(authorization.digest);
    authorizations.push({
      seq: raw.seq,
      type: raw.type,
      holder: authorization.statement.holder,
      factor: authorization.factor,
      at: authorization.at,
      digest: authorization.digest,
      batchSize: authorization.batchSize,
      namesDigest: check.namesDigest,
      signatureFound,
      assertionValid: check.assertionValid,
    });
    if (!check.namesDigest || check.assertionValid === false)
      problems.push(
        problem('authorization-invalid', 'audit_authorization_invalid', {
          seq: raw.seq,
          holder: authorization.statement.holder,
          problems: reportList(check.problems.map(problemRef)),
        }),
      );
    if (!signatureFound)
      problems.push(
        problem('authorization-not-in-file', 'audit_authorization_not_in_file', {
          seq: raw.seq,
          digest: short(authorization.digest),
        }),
      );
  }
  return { authorizations, problems };
}
