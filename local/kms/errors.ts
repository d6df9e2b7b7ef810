import type * as z from 'zod';

/** The error codes the emulator returns; each is a `__type` the KMS SDK client maps to its exception class. */
export type KmsErrorType =
  | 'AccessDeniedException'
  | 'AlreadyExistsException'
  | 'DisabledException'
  | 'DryRunOperationException'
  | 'ExpiredTokenException'
  | 'IncompleteSignatureException'
  | 'IncorrectKeyException'
  | 'InvalidCiphertextException'
  | 'InvalidSignatureException'
  | 'InvalidAliasNameException'
  | 'InvalidKeyUsageException'
  | 'InvalidMarkerException'
  | 'KMSInternalException'
  | 'KMSInvalidSignatureException'
  | 'KMSInvalidStateException'
  | 'MalformedPolicyDocumentException'
  | 'MissingAuthenticationTokenException'
  | 'NotFoundException'
  | 'SerializationException'
  | 'TagException'
  | 'UnrecognizedClientException'
  | 'UnsupportedOperationException'
  | 'ValidationException';

/** An error the client caused; rendered as the KMS JSON error body `{"__type", "message"}`. */
export class KmsError extends Error {
  constructor(
    readonly type: KmsErrorType,
    message: string,
    // The JSON protocol carries the error in `__type`; real KMS answers client errors with 400.
    readonly status: number = 400,
  ) {
    super(message);
    this.name = type;
  }
}

export const notFound = (message: string) => new KmsError('NotFoundException', message);
export const invalidState = (message: string) => new KmsError('KMSInvalidStateException', message);
export const validation = (message: string) => new KmsError('ValidationException', message);
export const unsupported = (message: string) => new KmsError('UnsupportedOperationException', message);

/** Marks a zod issue raised while decoding (bad base64, wrong JSON type), which AWS reports differently. */
export const SERIALIZATION_ISSUE = { serialization: true } as const;

// Request fields whose values must not be echoed back (or logged): they may be document digests or data.
const UNECHOED_MEMBERS = new Set(['message', 'signature', 'policy', 'plaintext', 'ciphertextBlob']);

function awsMemberPath(path: readonly PropertyKey[]): string {
  return path
    .map((segment) =>
      typeof segment === 'number'
        ? `${segment + 1}.member`
        : `${String(segment).charAt(0).toLowerCase()}${String(segment).slice(1)}`,
    )
    .join('.');
}

function describeValue(path: string, input: unknown): string {
  if (input === undefined || input === null) return 'Value null';
  const echoable = typeof input === 'string' || typeof input === 'number';
  return echoable && !UNECHOED_MEMBERS.has(path.split('.').at(-1) ?? '') ? `Value '${input}'` : 'Value';
}

/**
 * Error map for request parsing: words each violated constraint as AWS does, so messages read like the
 * real service's ("Member must have length less than or equal to 4096").
 */
export const awsConstraintMessage: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'Member must not be null' : `expected ${issue.expected}`;
    case 'invalid_value':
      return `Member must satisfy enum value set: [${issue.values.join(', ')}]`;
    case 'too_small': {
      const what = issue.origin === 'string' || issue.origin === 'array' ? 'length' : 'value';
      return `Member must have ${what} greater than or equal to ${issue.minimum}`;
    }
    case 'too_big': {
      const what = issue.origin === 'string' || issue.origin === 'array' ? 'length' : 'value';
      return `Member must have ${what} less than or equal to ${issue.maximum}`;
    }
    case 'invalid_format':
      // zod reports the pattern as a regex literal (/…/); AWS prints the bare pattern.
      return issue.pattern
        ? `Member must satisfy regular expression pattern: ${issue.pattern.replace(/^\/(.*)\/[a-z]*$/, '$1')}`
        : undefined;
    default:
      return undefined;
  }
};

/**
 * Turns zod issues into the error real KMS returns: a SerializationException when the body cannot be
 * decoded into the request shape, otherwise one ValidationException listing every violated constraint in
 * AWS's wording ("1 validation error detected: Value null at 'keyId' failed to satisfy constraint: …").
 */
export function requestError(issues: readonly z.core.$ZodIssue[]): KmsError {
  const serializationIssue = issues.find(
    (issue) =>
      (issue.code === 'invalid_type' && issue.input !== undefined) ||
      (issue.code === 'custom' && issue.params?.serialization === true),
  );
  if (serializationIssue) {
    const at = awsMemberPath(serializationIssue.path);
    return new KmsError(
      'SerializationException',
      `Cannot deserialize value at '${at}': ${serializationIssue.message}`,
    );
  }
  const details = issues.map((issue) => {
    const at = awsMemberPath(issue.path);
    return `${describeValue(at, issue.input)} at '${at}' failed to satisfy constraint: ${issue.message}`;
  });
  const count = `${details.length} validation error${details.length === 1 ? '' : 's'} detected`;
  return validation(`${count}: ${details.join('; ')}`);
}
