import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { createSignedData, type TimestampProvider } from '../cms/signed-data';
import type { DigestSigner } from '../ports/signer';
import { sha256AlgorithmIdentifier } from './algorithms';
import { derOf, parseDer, randomSerial, sha256, toArrayBuffer } from './asn1';
import { parseCertificate } from './certificate';
import { OID } from './oids';

export type { TimestampProvider };

/**
 * ETSI EN 319 421 "best practices time-stamp policy". A deployment with its own registered policy OID sets
 * `policy`; this default only says which practice the city TSA follows.
 */
export const DEFAULT_TSA_POLICY = '0.4.0.2023.1.1';

export interface TimestampAuthorityConfig {
  readonly signer: DigestSigner;
  /** TSA certificate first (extKeyUsage timeStamping, critical), then its issuers. */
  readonly certificateChain: readonly Uint8Array[];
  readonly policy?: string;
  readonly clock?: () => Date;
  /** Declared accuracy of genTime, in seconds. */
  readonly accuracySeconds?: number;
}

/** The city time-stamping authority (RFC 3161), signing its tokens through a DigestSigner. */
export class TimestampAuthority {
  private readonly policy: string;
  private readonly clock: () => Date;

  constructor(private readonly config: TimestampAuthorityConfig) {
    const [tsaCert] = config.certificateChain;
    if (!tsaCert) throw new Error('the TSA certificate chain is empty');
    const info = parseCertificate(tsaCert);
    if (!info.extKeyUsage?.includes(OID.timeStamping)) {
      throw new Error('the TSA certificate lacks extKeyUsage timeStamping');
    }
    this.policy = config.policy ?? DEFAULT_TSA_POLICY;
    this.clock = config.clock ?? (() => new Date());
  }

  get certificate(): Uint8Array {
    return this.config.certificateChain[0] as Uint8Array;
  }

  /** A TimeStampToken (DER ContentInfo) over a SHA-256 imprint. */
  async timestamp(imprint: Uint8Array, nonce?: asn1js.Integer): Promise<Uint8Array> {
    if (imprint.length !== 32) throw new RangeError(`a SHA-256 imprint has 32 bytes, got ${imprint.length}`);
    const tstInfo = new pkijs.TSTInfo({
      version: 1,
      policy: this.policy,
      messageImprint: new pkijs.MessageImprint({
        hashAlgorithm: sha256AlgorithmIdentifier(),
        hashedMessage: new asn1js.OctetString({ valueHex: toArrayBuffer(imprint) }),
      }),
      serialNumber: randomSerial(),
      genTime: this.clock(),
      accuracy: new pkijs.Accuracy({ seconds: this.config.accuracySeconds ?? 1 }),
      ...(nonce ? { nonce } : {}),
    });
    const eContent = derOf(tstInfo.toSchema());
    return createSignedData({
      signer: this.config.signer,
      certificateChain: this.config.certificateChain,
      contentType: OID.tstInfo,
      encapsulatedContent: eContent,
      contentDigest: sha256(eContent),
    });
  }

  /** The port PAdES/CAdES signing uses in-process. */
  provider(): TimestampProvider {
    return (imprint) => this.timestamp(imprint);
  }

  /**
   * Answers a DER TimeStampReq with a DER TimeStampResp (for an HTTP endpoint later). Only SHA-256 imprints
   * are granted; anything else is refused with badAlg, as RFC 3161 §2.4.2 prescribes.
   */
  async respond(requestDer: Uint8Array): Promise<Uint8Array> {
    let request: pkijs.TimeStampReq;
    try {
      request = new pkijs.TimeStampReq({ schema: parseDer(requestDer, 'TimeStampReq') });
    } catch {
      return rejection(5 /* badDataFormat */);
    }
    const imprint = new Uint8Array(request.messageImprint.hashedMessage.valueBlock.valueHexView);
    if (request.messageImprint.hashAlgorithm.algorithmId !== OID.sha256 || imprint.length !== 32) {
      return rejection(0 /* badAlg */);
    }
    const token = await this.timestamp(imprint, request.nonce);
    const response = new pkijs.TimeStampResp({
      status: new pkijs.PKIStatusInfo({ status: pkijs.PKIStatus.granted }),
      timeStampToken: new pkijs.ContentInfo({ schema: parseDer(token, 'timestamp token') }),
    });
    return derOf(response.toSchema());
  }
}

function rejection(failBit: number): Uint8Array {
  const bits = new Uint8Array(4);
  bits[failBit >> 3] = 0x80 >> (failBit % 8);
  const response = new pkijs.TimeStampResp({
    status: new pkijs.PKIStatusInfo({
      status: pkijs.PKIStatus.rejection,
      failInfo: new asn1js.BitString({ valueHex: toArrayBuffer(bits.subarray(0, (failBit >> 3) + 1)) }),
    }),
  });
  return derOf(response.toSchema());
}
