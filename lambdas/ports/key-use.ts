import type { KeyUse } from '../core/signing/reconciliation';

/** The key service's own record of kms:Sign calls: CloudTrail in AWS, the KMS emulator's log locally. */
export interface KeyUseLog {
  signUses(from: Date, to: Date): Promise<KeyUse[]>;
}

/** The keys that belong to a holder (personal and seal), by key id or ARN: `official:<id>`, `seal:<org>`. */
export interface HolderKeyIndex {
  holderKeys(): Promise<Map<string, string>>;
}

/** Where the last reconciliation stopped, so each run looks at what is new. */
export interface ReconciliationMark {
  last(): Promise<Date | undefined>;
  save(until: Date, unexplained: number): Promise<void>;
}
