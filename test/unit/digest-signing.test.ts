import { createHash, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signDigest, verifyDigest } from '../../lambdas/core/crypto/digest-signing';

const message = Buffer.from('Quyết định số 01/QĐ-UBND');
const digest = createHash('sha256').update(message).digest();

describe('signing a precomputed SHA-256 digest', () => {
  it('RSA PKCS#1 v1.5 equals what node:crypto computes over the message', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const sig = signDigest(privateKey, 'RSASSA_PKCS1_V1_5_SHA_256', digest);
    expect(verify('sha256', message, publicKey, sig)).toBe(true);
    expect(verifyDigest(publicKey, 'RSASSA_PKCS1_V1_5_SHA_256', digest, sig)).toBe(true);
    const other = createHash('sha256').update('khác').digest();
    expect(verifyDigest(publicKey, 'RSASSA_PKCS1_V1_5_SHA_256', other, sig)).toBe(false);
  });

  it('ECDSA P-256 gives DER that node:crypto verifies over the message', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const sig = signDigest(privateKey, 'ECDSA_SHA_256', digest);
    expect(sig[0]).toBe(0x30); // DER SEQUENCE, as KMS returns
    expect(verify('sha256', message, createPublicKey(privateKey), sig)).toBe(true);
    expect(verifyDigest(createPublicKey(privateKey), 'ECDSA_SHA_256', digest, sig)).toBe(true);
    const tampered = Buffer.from(sig);
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 1;
    expect(verifyDigest(createPublicKey(privateKey), 'ECDSA_SHA_256', digest, tampered)).toBe(false);
  });

  it('rejects a digest that is not 32 bytes', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(() => signDigest(privateKey, 'ECDSA_SHA_256', Buffer.alloc(20))).toThrow(/32 bytes/);
  });
});

describe('ECDSA signatures made elsewhere', () => {
  it('accepts every node:crypto signature, high-S ones included', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    for (let i = 0; i < 40; i++) {
      const sig = sign('sha256', message, privateKey);
      expect(verifyDigest(publicKey, 'ECDSA_SHA_256', digest, sig)).toBe(true);
    }
  });
});
