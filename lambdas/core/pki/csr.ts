import * as pkijs from 'pkijs';
import type { DigestSigner } from '../ports/signer';
import { bitString, signatureAlgorithmFor, signBytes, verifySignature } from './algorithms';
import { bytesEqual, derOf, parseDer, tbsOf } from './asn1';
import { type CertificateInfo, certificateFromInput } from './certificate';
import { type DistinguishedName, encodeName } from './names';

/** A PKCS#10 request for the port's key, to obtain a certificate from an external CA. */
export async function createCsr(signer: DigestSigner, subject: DistinguishedName): Promise<Uint8Array> {
  const spki = await signer.publicKeySpki();
  const csr = new pkijs.CertificationRequest({
    version: 0,
    subject: encodeName(subject),
    subjectPublicKeyInfo: new pkijs.PublicKeyInfo({ schema: parseDer(spki, 'public key') }),
    signatureAlgorithm: signatureAlgorithmFor(signer),
  });
  csr.tbsView = tbsOf(csr.toSchema(true));
  csr.signatureValue = bitString(await signBytes(signer, csr.tbsView));
  return derOf(csr.toSchema());
}

/** Proof of possession: the request is signed by the key it names. */
export function verifyCsr(der: Uint8Array): { subjectPublicKey: Uint8Array; valid: boolean } {
  const csr = new pkijs.CertificationRequest({ schema: parseDer(der, 'certification request') });
  const spki = derOf(csr.subjectPublicKeyInfo.toSchema());
  const valid = verifySignature(
    spki,
    csr.signatureAlgorithm.algorithmId,
    new Uint8Array(csr.tbsView),
    new Uint8Array(csr.signatureValue.valueBlock.valueHexView),
  );
  return { subjectPublicKey: spki, valid };
}

/**
 * Accepts a certificate issued elsewhere for the port's key (DER or PEM) after checking that its public key
 * is the key's: a certificate for another key would make every signature fail verification.
 */
export async function importCertificate(
  signer: DigestSigner,
  certificate: Uint8Array | string,
): Promise<CertificateInfo> {
  const info = certificateFromInput(certificate);
  if (!bytesEqual(info.spki, await signer.publicKeySpki())) {
    throw new Error(`certificate ${info.serial} does not certify key ${signer.keyId}`);
  }
  return info;
}
