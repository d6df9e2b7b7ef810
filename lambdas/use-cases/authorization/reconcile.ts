import { reconcileKeyUses, type Unexplained } from '../../core/signing/reconciliation';
import { logger } from '../../observability/logger';
import type { HolderKeyIndex, KeyUseLog, ReconciliationMark } from '../../ports/key-use';
import type { AuthorizationRecords } from '../../ports/signature-authorization';

/*
 * The scheduled reconciliation (docs/SECURITY.md): every kms:Sign on a personal or seal key since the last
 * run must be a signer session of an authorization that lists as many digests. What is not is logged as an
 * error and counted; the caller raises the alarm.
 */

export interface ReconcilePorts {
  readonly uses: KeyUseLog;
  readonly keys: HolderKeyIndex;
  readonly records: Pick<AuthorizationRecords, 'get'>;
  readonly mark: ReconciliationMark;
  readonly signerSessionRole: string;
  readonly now: () => Date;
}

/** The key service records a call some minutes after it happens: look back this far as well. */
const DELIVERY_DELAY_MS = 20 * 60_000;
const FIRST_WINDOW_MS = 24 * 3600_000;

export async function reconcile(
  ports: ReconcilePorts,
): Promise<{ from: string; to: string; uses: number; unexplained: Unexplained[] }> {
  const to = ports.now();
  const last = await ports.mark.last();
  const from = new Date((last?.getTime() ?? to.getTime() - FIRST_WINDOW_MS) - DELIVERY_DELAY_MS);
  const [uses, holderOfKey] = await Promise.all([ports.uses.signUses(from, to), ports.keys.holderKeys()]);
  const sessions = [...new Set(uses.flatMap((u) => (u.sessionName ? [u.sessionName] : [])))];
  const records = new Map(
    (await Promise.all(sessions.map(async (id) => [id, await ports.records.get(id)] as const))).filter(
      (entry): entry is readonly [string, NonNullable<(typeof entry)[1]>] => entry[1] !== undefined,
    ),
  );
  const unexplained = reconcileKeyUses({
    uses,
    holderOfKey,
    signerSessionRole: ports.signerSessionRole,
    authorization: (id) => records.get(id),
  });
  for (const u of unexplained) logger.error('unexplained use of a signing key', { ...u.use, why: u.why });
  await ports.mark.save(to, unexplained.length);
  return { from: from.toISOString(), to: to.toISOString(), uses: uses.length, unexplained };
}
