import { createPrivateKey, type KeyObject, randomUUID } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';
import { publicKeySpki, SUPPORTED_KEY_SPECS, type SupportedKeySpec } from './signing';

export type KeyState = 'Enabled' | 'Disabled' | 'PendingDeletion';

export interface Tag {
  TagKey: string;
  TagValue: string;
}

interface StoredKeyBase {
  keyId: string;
  accountId: string;
  region: string;
  creationDate: number;
  description: string;
  keyState: KeyState;
  deletionDate?: number;
  tags: readonly Tag[];
  /** The key policy, as given (KMS returns it verbatim). */
  policy: string;
}

/** An asymmetric signing key. */
export interface SigningKey extends StoredKeyBase {
  keySpec: SupportedKeySpec;
  keyUsage: 'SIGN_VERIFY';
  privateKey: KeyObject;
  /** DER SubjectPublicKeyInfo, derived from the private key. */
  publicKeySpki: Buffer;
}

/** A symmetric encryption key: 256 bits of AES-GCM key material that never leaves the emulator. */
export interface SymmetricKey extends StoredKeyBase {
  keySpec: 'SYMMETRIC_DEFAULT';
  keyUsage: 'ENCRYPT_DECRYPT';
  material: Buffer;
}

/** A key as the emulator holds it. Dates are epoch milliseconds. Treated as immutable: updates replace it. */
export type StoredKey = SigningKey | SymmetricKey;

export interface StoredAlias {
  aliasName: string;
  targetKeyId: string;
  creationDate: number;
  lastUpdatedDate: number;
}

/** The policy KMS gives a key created without one: the account's IAM policies decide everything. */
export function defaultKeyPolicy(accountId: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Id: 'key-default-1',
    Statement: [
      {
        Sid: 'Enable IAM User Permissions',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${accountId}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
    ],
  });
}

/** AES-256: the material of a SYMMETRIC_DEFAULT key. */
export const SYMMETRIC_KEY_BYTES = 32;

const KEY_FILE_FORMAT = 'docflow-kms-key/1';
const ALIASES_FILE_FORMAT = 'docflow-kms-aliases/1';

const keyFileSchema = z.object({
  format: z.literal(KEY_FILE_FORMAT),
  keyId: z.uuid(),
  accountId: z.string().min(1),
  region: z.string().min(1),
  creationDate: z.number(),
  description: z.string(),
  keySpec: z.enum([...SUPPORTED_KEY_SPECS, 'SYMMETRIC_DEFAULT']),
  keyUsage: z.enum(['SIGN_VERIFY', 'ENCRYPT_DECRYPT']),
  keyState: z.enum(['Enabled', 'Disabled', 'PendingDeletion']),
  deletionDate: z.number().optional(),
  tags: z.array(z.object({ TagKey: z.string(), TagValue: z.string() })),
  // Keys written before the emulator kept policies have KMS's default one.
  policy: z.string().optional(),
  // A signing key's private key, or a symmetric key's material (parseKeyFile checks which goes with which).
  privateKeyPkcs8: z.base64().optional(),
  symmetricKey: z.base64().optional(),
});

const aliasesFileSchema = z.object({
  format: z.literal(ALIASES_FILE_FORMAT),
  aliases: z.array(
    z.object({
      aliasName: z.string(),
      targetKeyId: z.uuid(),
      creationDate: z.number(),
      lastUpdatedDate: z.number(),
    }),
  ),
});

const TEMP_SUFFIX = '.tmp';

/**
 * Keys and aliases, in memory and on disk under `<dir>` (mode 0700): one file per key in `keys/` and one
 * `aliases.json`, each mode 0600 and replaced atomically (temp file, fsync, rename), so a crash never leaves
 * half a key. Writes are synchronous on purpose: a mutation and its write cannot interleave with another
 * request's, and the file is written before memory changes, so a failed write changes nothing.
 */
export class KmsStore {
  private readonly keysById = new Map<string, StoredKey>();
  private aliasesByName = new Map<string, StoredAlias>();

  private constructor(private readonly dir: string) {}

  static open(dir: string): KmsStore {
    const store = new KmsStore(dir);
    ensurePrivateDir(dir);
    ensurePrivateDir(store.keysDir);
    store.load();
    return store;
  }

  private get keysDir(): string {
    return join(this.dir, 'keys');
  }

  private get aliasesFile(): string {
    return join(this.dir, 'aliases.json');
  }

  private keyFile(keyId: string): string {
    return join(this.keysDir, `${keyId}.json`);
  }

  private load(): void {
    for (const name of readdirSync(this.keysDir)) {
      const path = join(this.keysDir, name);
      // Leftovers of a write interrupted before its rename: the previous version is still in place.
      if (name.endsWith(TEMP_SUFFIX)) rmSync(path, { force: true });
      else if (name.endsWith('.json')) {
        const key = parseKeyFile(path);
        this.keysById.set(key.keyId, key);
      }
    }
    for (const name of readdirSync(this.dir)) {
      if (name.endsWith(TEMP_SUFFIX)) rmSync(join(this.dir, name), { force: true });
    }
    const aliases = readJsonIfExists(this.aliasesFile);
    if (aliases !== undefined) {
      const parsed = aliasesFileSchema.safeParse(aliases);
      if (!parsed.success)
        throw new Error(`corrupt KMS alias file ${this.aliasesFile}: ${parsed.error.message}`);
      this.aliasesByName = new Map(parsed.data.aliases.map((alias) => [alias.aliasName, alias]));
    }
  }

  keys(): StoredKey[] {
    return [...this.keysById.values()];
  }

  getKey(keyId: string): StoredKey | undefined {
    return this.keysById.get(keyId);
  }

  putKey(key: StoredKey): void {
    writeFileAtomic(this.keyFile(key.keyId), serializeKey(key));
    this.keysById.set(key.keyId, key);
  }

  /** Removes a key and every alias that points at it, as KMS does when a key's deletion date passes. */
  deleteKey(keyId: string): void {
    const remaining = [...this.aliasesByName.values()].filter((alias) => alias.targetKeyId !== keyId);
    if (remaining.length !== this.aliasesByName.size) this.replaceAliases(remaining);
    rmSync(this.keyFile(keyId), { force: true });
    this.keysById.delete(keyId);
  }

  aliases(): StoredAlias[] {
    return [...this.aliasesByName.values()];
  }

  getAlias(aliasName: string): StoredAlias | undefined {
    return this.aliasesByName.get(aliasName);
  }

  putAlias(alias: StoredAlias): void {
    const others = this.aliases().filter((existing) => existing.aliasName !== alias.aliasName);
    this.replaceAliases([...others, alias]);
  }

  deleteAlias(aliasName: string): void {
    this.replaceAliases(this.aliases().filter((alias) => alias.aliasName !== aliasName));
  }

  private replaceAliases(aliases: StoredAlias[]): void {
    const file: z.infer<typeof aliasesFileSchema> = { format: ALIASES_FILE_FORMAT, aliases };
    writeFileAtomic(this.aliasesFile, `${JSON.stringify(file, null, 2)}\n`);
    this.aliasesByName = new Map(aliases.map((alias) => [alias.aliasName, alias]));
  }
}

function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // mkdir's mode applies only to a directory it creates; an existing one keeps whatever mode it had.
  chmodSync(dir, 0o700);
}

function serializeKey(key: StoredKey): string {
  const file: z.infer<typeof keyFileSchema> = {
    format: KEY_FILE_FORMAT,
    keyId: key.keyId,
    accountId: key.accountId,
    region: key.region,
    creationDate: key.creationDate,
    description: key.description,
    keySpec: key.keySpec,
    keyUsage: key.keyUsage,
    keyState: key.keyState,
    deletionDate: key.deletionDate,
    tags: [...key.tags],
    policy: key.policy,
    ...(key.keyUsage === 'SIGN_VERIFY'
      ? { privateKeyPkcs8: key.privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64') }
      : { symmetricKey: key.material.toString('base64') }),
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

function parseKeyFile(path: string): StoredKey {
  const parsed = keyFileSchema.safeParse(readJsonIfExists(path));
  // Fail loudly: silently skipping a key would make every document it signed unverifiable via KMS.
  if (!parsed.success) throw new Error(`corrupt KMS key file ${path}: ${parsed.error.message}`);
  const {
    format: _format,
    privateKeyPkcs8,
    symmetricKey,
    policy,
    keySpec,
    keyUsage,
    ...record
  } = parsed.data;
  const base = { ...record, policy: policy ?? defaultKeyPolicy(record.accountId) };
  if (keyUsage === 'ENCRYPT_DECRYPT' && keySpec === 'SYMMETRIC_DEFAULT' && symmetricKey !== undefined) {
    const material = Buffer.from(symmetricKey, 'base64');
    if (material.length === SYMMETRIC_KEY_BYTES) return { ...base, keySpec, keyUsage, material };
  }
  if (keyUsage === 'SIGN_VERIFY' && keySpec !== 'SYMMETRIC_DEFAULT' && privateKeyPkcs8 !== undefined) {
    const privateKey = createPrivateKey({
      key: Buffer.from(privateKeyPkcs8, 'base64'),
      format: 'der',
      type: 'pkcs8',
    });
    return { ...base, keySpec, keyUsage, privateKey, publicKeySpki: publicKeySpki(privateKey) };
  }
  throw new Error(`corrupt KMS key file ${path}: key material does not match ${keySpec} ${keyUsage}`);
}

function readJsonIfExists(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`corrupt KMS file ${path}: not JSON`);
  }
}

function writeFileAtomic(path: string, contents: string): void {
  const temp = `${path}.${randomUUID()}${TEMP_SUFFIX}`;
  // 'wx': never follow or reuse an existing file; 0600 so the private key is never readable by others.
  const fd = openSync(temp, 'wx', 0o600);
  try {
    writeFileSync(fd, contents);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
