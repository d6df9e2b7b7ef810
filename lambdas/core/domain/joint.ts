import { jointError } from '../i18n/joint';
import type { Directory } from './directory';
import type { Signature } from './events';

/*
 * Joint documents (văn bản liên tịch, D30 Art.13 and PL I): two or more organisations issue one document.
 * The lead organisation (the document's `orgId`) drafts it and its series numbers it; the co-issuers follow
 * in the order the draft names them. Each organisation's leader signs in turn, the lead's first; once all
 * have signed, the lead's clerk issues it (number, date, the lead's seal over its leader's signature) and
 * then each co-issuer's clerk seals over its own leader's signature, recording the same number and notation
 * in its outgoing register. The lead's clerk sends it once every issuer has sealed.
 */

interface JointParts {
  readonly orgId: string;
  readonly coIssuers?: readonly string[];
  readonly signatures: readonly Signature[];
}

/** The issuing organisations, the lead first. */
export const issuersOf = (doc: { orgId: string; coIssuers?: readonly string[] }): string[] => [
  doc.orgId,
  ...(doc.coIssuers ?? []),
];

export const isJoint = (doc: { coIssuers?: readonly string[] }): boolean => (doc.coIssuers?.length ?? 0) > 0;

const count = (doc: JointParts, kind: Signature['kind']) =>
  doc.signatures.filter((s) => s.kind === kind).length;

/** The organisation whose leader signs next (one personal signature per issuer, in order), if any. */
export const nextSigningOrg = (doc: JointParts): string | undefined => issuersOf(doc)[count(doc, 'person')];

/** The organisation whose clerk seals next (the lead's by issuing, then each co-issuer's), if any. */
export const nextSealingOrg = (doc: JointParts): string | undefined =>
  issuersOf(doc)[count(doc, 'organisation')];

/** The issuers that have not sealed yet. */
export const pendingSeals = (doc: JointParts): string[] => issuersOf(doc).slice(count(doc, 'organisation'));

/** The position of an issuer among the signature blocks: 0 the lead, 1… the co-issuers in order. */
export const issuerIndex = (doc: { orgId: string; coIssuers?: readonly string[] }, orgId: string): number =>
  issuersOf(doc).indexOf(orgId);

/** Checks the co-issuers a draft names: known organisations, other than the lead, each once. */
export function checkCoIssuers(leadOrgId: string, coIssuers: readonly string[], directory: Directory): void {
  const seen = new Set<string>();
  for (const orgId of coIssuers) {
    const org = directory.find(orgId);
    if (!org) throw jointError('joint_co_issuer_unknown', 422, { orgId });
    if (orgId === leadOrgId) throw jointError('joint_co_issuer_is_lead', 422, { orgName: org.name });
    if (seen.has(orgId)) throw jointError('joint_co_issuer_twice', 422, { orgName: org.name });
    seen.add(orgId);
  }
}
