import type { TimestampProvider } from '../cms/signed-data';
import { parseSignedData, readTstInfo } from '../cms/verify';
import type { ArchiveTimestamp } from '../domain/events';
import { evidenceHorizon } from '../pki/evidence-horizon';
import { addValidationData } from './ltv';
import { timestampPdf } from './sign';

/*
 * PAdES B-LTA for the archive (ETSI EN 319 142-1 §5.5): the validation data of every signature and
 * timestamp in a DSS, then a document timestamp (/DocTimeStamp, ETSI.RFC3161) over the whole file, then the
 * DSS again with that timestamp's own chain and CRLs, so that the next renewal (or a verifier years later,
 * offline) finds everything in the file. Each renewal repeats the three steps before the last timestamp's
 * evidence lapses: its TSA certificate's end, or the horizon of its algorithms.
 */

const DAY_MS = 24 * 3600_000;

/** Renewal is due this long before the evidence lapses: time for a failed sweep to be noticed and rerun. */
export const ARCHIVE_RENEWAL_MARGIN_MS = 180 * DAY_MS;
const ARCHIVE_RETRY_MS = 30 * DAY_MS;

/** When a document timestamp was made, until when its evidence holds, and when to renew it. */
export function archiveTimestampOf(token: Uint8Array): ArchiveTimestamp {
  const parsed = parseSignedData(token);
  if (!parsed.eContent || !parsed.signerCertificate) throw new Error('not a timestamp token');
  const time = readTstInfo(parsed.eContent).genTime;
  const holdsUntil = evidenceHorizon(parsed.signerCertificate);
  // Not sooner than a month on: a renewal that cannot extend the evidence (the TSA's certificate or key is
  // itself near its end) is retried monthly, not at every sweep, while operators replace the TSA's key.
  const renewBy = new Date(
    Math.min(
      holdsUntil.getTime(),
      Math.max(time.getTime() + ARCHIVE_RETRY_MS, holdsUntil.getTime() - ARCHIVE_RENEWAL_MARGIN_MS),
    ),
  );
  return { time: time.toISOString(), holdsUntil: holdsUntil.toISOString(), renewBy: renewBy.toISOString() };
}

export interface ArchiveInput {
  readonly pdf: Uint8Array;
  readonly timestamp: TimestampProvider;
  /** Current CRLs of every issuer in the chains (the signatures', and the TSA's). */
  readonly crls: readonly Uint8Array[];
  /** Certificates the signatures do not carry (the roots). */
  readonly certificates?: readonly Uint8Array[];
  readonly maxBytes?: number;
}

/**
 * Archives or renews: DSS, document timestamp, DSS for the timestamp. The file before stays byte for byte
 * at the start of the result (incremental updates only), so every earlier signature keeps verifying.
 */
export async function archiveTimestampPdf(
  input: ArchiveInput,
): Promise<{ pdf: Uint8Array; archiveTimestamp: ArchiveTimestamp }> {
  const validation = { crls: input.crls, certificates: input.certificates, maxBytes: input.maxBytes };
  const withData = await addValidationData({ pdf: input.pdf, ...validation });
  let token: Uint8Array | undefined;
  const stamped = await timestampPdf({
    pdf: withData,
    maxBytes: input.maxBytes,
    timestamp: async (imprint) => {
      token = await input.timestamp(imprint);
      return token;
    },
  });
  if (!token) throw new Error('the time-stamping authority gave no token');
  const pdf = await addValidationData({ pdf: stamped, ...validation });
  return { pdf, archiveTimestamp: archiveTimestampOf(token) };
}
