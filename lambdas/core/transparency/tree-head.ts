import * as z from 'zod';
import { canonicalize } from '../log/canonical-json';
import { signBytes, verifySignature } from '../pki/algorithms';
import { parseCertificate } from '../pki/certificate';
import { OID } from '../pki/oids';
import { type TrustStore, validatePath } from '../pki/trust';
import type { DigestSigner } from '../ports/signer';
import {
  fromHex,
  hashEqual,
  leafHash,
  rootFromInclusion,
  toHex,
  verifyConsistency,
  verifyInclusion,
} from './merkle';

/*
 * Signed tree heads and the proofs built on them, as JSON. A tree head says "the global log had `treeSize`
 * leaves with root `rootHash` at `timestamp`"; it is signed (through the DigestSigner port: KMS when
 * deployed) over the RFC 8785 canonical JSON of those four members, and carries the signing certificate
 * chain so that anyone holding the city root can check it offline.
 */

const Hex64 = z.string().regex(/^[0-9a-f]{64}$/);

export const TreeHeadSchema = z.object({
  /** Which log: `docflow/<stage>`. */
  log: z.string().min(1),
  treeSize: z.int().min(0),
  rootHash: Hex64,
  timestamp: z.iso.datetime(),
});
export type TreeHead = z.infer<typeof TreeHeadSchema>;

export const SignedTreeHeadSchema = TreeHeadSchema.extend({
  signature: z.object({
    algorithm: z.enum(['sha256WithRSAEncryption', 'ecdsa-with-SHA256']),
    /** Base64 signature over SHA-256 of treeHeadBytes(head). */
    value: z.string().min(1),
    keyId: z.string(),
  }),
  /** Base64 DER certificates: the log's signing certificate first, then its issuers. */
  certificates: z.array(z.string()).min(1),
});
export type SignedTreeHead = z.infer<typeof SignedTreeHeadSchema>;

export const InclusionProofSchema = z.object({
  kind: z.literal('inclusion'),
  documentId: z.string(),
  seq: z.int().min(1),
  /** The event's `hash` (hex): the leaf is these 32 bytes. */
  eventHash: Hex64,
  leafIndex: z.int().min(0),
  treeSize: z.int().min(1),
  path: z.array(Hex64),
  treeHead: SignedTreeHeadSchema,
});
export type InclusionProof = z.infer<typeof InclusionProofSchema>;

export const ConsistencyProofSchema = z.object({
  kind: z.literal('consistency'),
  from: SignedTreeHeadSchema,
  to: SignedTreeHeadSchema,
  path: z.array(Hex64),
});
export type ConsistencyProof = z.infer<typeof ConsistencyProofSchema>;

/** The bytes a tree head's signature covers. */
export function treeHeadBytes(head: TreeHead): Uint8Array {
  const { log, treeSize, rootHash, timestamp } = head;
  return new TextEncoder().encode(canonicalize({ log, rootHash, timestamp, treeSize }));
}

export async function signTreeHead(
  head: TreeHead,
  signer: DigestSigner,
  certificates: readonly Uint8Array[],
): Promise<SignedTreeHead> {
  const value = await signBytes(signer, treeHeadBytes(head));
  return SignedTreeHeadSchema.parse({
    ...TreeHeadSchema.parse(head),
    signature: {
      algorithm: signer.algorithm === 'ECDSA_SHA_256' ? 'ecdsa-with-SHA256' : 'sha256WithRSAEncryption',
      value: Buffer.from(value).toString('base64'),
      keyId: signer.keyId,
    },
    certificates: certificates.map((c) => Buffer.from(c).toString('base64')),
  });
}

export interface Check {
  readonly ok: boolean;
  readonly problems: readonly string[];
}

/**
 * Checks a signed tree head: the signature with the certificate it carries, and (given a trust store) that
 * the certificate chains to a trusted root and was valid at the head's timestamp.
 */
export function verifyTreeHead(sth: SignedTreeHead, trust?: TrustStore): Check {
  const problems: string[] = [];
  const [leafB64, ...rest] = sth.certificates;
  try {
    const leaf = parseCertificate(new Uint8Array(Buffer.from(leafB64 ?? '', 'base64')));
    const oid = sth.signature.algorithm === 'ecdsa-with-SHA256' ? OID.ecdsaWithSHA256 : OID.sha256WithRSA;
    const valid = verifySignature(
      leaf.spki,
      oid,
      treeHeadBytes(sth),
      new Uint8Array(Buffer.from(sth.signature.value, 'base64')),
    );
    if (!valid)
      problems.push(
        `tree head of size ${sth.treeSize}: the signature does not match (the head was altered or signed by another key)`,
      );
    if (trust) {
      const path = validatePath({
        certificate: leaf,
        intermediates: rest.map((c) => parseCertificate(new Uint8Array(Buffer.from(c, 'base64')))),
        trust,
        at: new Date(sth.timestamp),
      });
      for (const p of path.problems) problems.push(`tree head signing certificate: ${p}`);
    }
  } catch (error) {
    problems.push(`tree head: unreadable certificate (${(error as Error).message})`);
  }
  return { ok: problems.length === 0, problems };
}

/** Checks an inclusion proof: the head's signature (and trust), then the path from the event's leaf. */
export function verifyInclusionProof(proof: InclusionProof, trust?: TrustStore): Check {
  const problems = [...verifyTreeHead(proof.treeHead, trust).problems];
  if (proof.treeSize !== proof.treeHead.treeSize)
    problems.push(`the proof is for a tree of ${proof.treeSize}, the head has ${proof.treeHead.treeSize}`);
  const leaf = leafHash(fromHex(proof.eventHash));
  const path = proof.path.map(fromHex);
  if (!verifyInclusion(proof.leafIndex, proof.treeSize, leaf, path, fromHex(proof.treeHead.rootHash))) {
    const reached = rootFromInclusion(proof.leafIndex, proof.treeSize, leaf, path);
    problems.push(
      `event ${proof.seq} of document ${proof.documentId} (hash ${proof.eventHash.slice(0, 12)}…) is not at leaf ${proof.leafIndex} of the tree of ${proof.treeSize}: the path leads to ${reached ? `${toHex(reached).slice(0, 12)}…` : 'no root'}, the signed head says ${proof.treeHead.rootHash.slice(0, 12)}…`,
    );
  }
  return { ok: problems.length === 0, problems };
}

/** Checks a consistency proof between two signed heads (both signatures, then the proof). */
export function verifyConsistencyProof(proof: ConsistencyProof, trust?: TrustStore): Check {
  const problems = [
    ...verifyTreeHead(proof.from, trust).problems,
    ...verifyTreeHead(proof.to, trust).problems,
  ];
  if (proof.from.log !== proof.to.log) problems.push(`heads of two logs: ${proof.from.log}, ${proof.to.log}`);
  const ok =
    proof.from.treeSize === 0
      ? proof.path.length === 0
      : verifyConsistency(
          proof.from.treeSize,
          proof.to.treeSize,
          fromHex(proof.from.rootHash),
          fromHex(proof.to.rootHash),
          proof.path.map(fromHex),
        );
  if (!ok)
    problems.push(
      `the tree of ${proof.from.treeSize} (root ${proof.from.rootHash.slice(0, 12)}…) is not a prefix of the tree of ${proof.to.treeSize} (root ${proof.to.rootHash.slice(0, 12)}…): history was rewritten, or the proof is wrong`,
    );
  return { ok: problems.length === 0, problems };
}

export { hashEqual };
