import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { activationIssuerUrl, kmsActivationIssuer } from '../adapters/activation-issuer';
import { dynamoActivations, dynamoAuthenticators, dynamoChallenges } from '../adapters/activation-store';
import { documentClient } from '../adapters/aws-clients';
import { dynamoDirectory } from '../adapters/directory-store';
import { dynamoAuthorizationRecords, dynamoSignatureRequests } from '../adapters/signature-requests';
import { signatureContracts } from '../contracts/signatures';
import { apiHandler, ok } from '../http/api';
import {
  type ActivationPorts,
  authorizationChallenge,
  authorize,
  confirmTotp,
  listAuthenticators,
  passkeyRegistrationOptions,
  registerPasskey,
  removePasskey,
  removeTotp,
  startTotpEnrolment,
} from '../use-cases/authorization/activation';
import { writeOptions } from './wiring';

/**
 * The activation function (docs/SECURITY.md): each person's passkeys and authenticator app, and the
 * authorization of prepared signatures with them. It alone signs activation data, with the activation key;
 * it publishes that key's public half as an OpenID issuer for STS.
 */

const origins = () => (process.env.DOCFLOW_WEB_ORIGINS ?? '').split(',').filter(Boolean);

const ports: ActivationPorts = {
  directory: dynamoDirectory,
  authenticators: dynamoAuthenticators(documentClient),
  challenges: dynamoChallenges(documentClient),
  requests: dynamoSignatureRequests,
  records: dynamoAuthorizationRecords,
  activations: dynamoActivations(documentClient),
  issuer: kmsActivationIssuer(),
  get webOrigins() {
    return origins();
  },
  get rpId() {
    return process.env.DOCFLOW_WEBAUTHN_RP_ID ?? new URL(origins()[0] ?? 'http://localhost').hostname;
  },
  now: () => new Date(),
};

export const handler = apiHandler(
  'signatureActivation',
  signatureContracts,
  {
    'GET /api/signature-activation/.well-known/openid-configuration': async () => {
      const issuer = activationIssuerUrl();
      return {
        status: 200,
        headers: { 'cache-control': 'public, max-age=300' },
        body: {
          issuer,
          jwks_uri: `${issuer}/jwks.json`,
          id_token_signing_alg_values_supported: ['ES256'],
          response_types_supported: ['id_token'],
          subject_types_supported: ['public'],
        },
      };
    },
    'GET /api/signature-activation/jwks.json': async () => ({
      status: 200,
      headers: { 'cache-control': 'public, max-age=300' },
      body: await ports.issuer.jwks(),
    }),
    'GET /api/me/authenticators': async ({ caller }) => ok(await listAuthenticators(ports, caller)),
    'POST /api/me/passkeys/options': async ({ caller }) =>
      ok(await passkeyRegistrationOptions(ports, caller)),
    'POST /api/me/passkeys': async ({ caller, body }) =>
      ok(
        await registerPasskey(ports, caller, {
          challengeId: body.challengeId,
          response: body.response as unknown as RegistrationResponseJSON,
          label: body.label,
        }),
      ),
    'DELETE /api/me/passkeys/{id}': async ({ caller, id }) => ok(await removePasskey(ports, caller, id)),
    'POST /api/me/totp': async ({ caller }) => ok(await startTotpEnrolment(ports, caller)),
    'POST /api/me/totp/confirm': async ({ caller, body }) => ok(await confirmTotp(ports, caller, body.code)),
    'DELETE /api/me/totp': async ({ caller }) => ok(await removeTotp(ports, caller)),
    'POST /api/signature-authorizations/challenges': async ({ caller, body }) =>
      ok(await authorizationChallenge(ports, caller, body.requestIds)),
    'POST /api/signature-authorizations': async ({ caller, body }) =>
      ok(
        await authorize(
          ports,
          caller,
          'passkey' in body
            ? {
                challengeId: body.challengeId,
                passkey: body.passkey as unknown as AuthenticationResponseJSON,
              }
            : { challengeId: body.challengeId, totp: body.totp },
        ),
      ),
  },
  writeOptions(),
);
