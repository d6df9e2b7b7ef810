import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { createRemoteJWKSet, jwtVerify } from 'jose';

/**
 * The live inbox's `$connect` authorizer (a WebSocket API has no JWT authorizer): a browser cannot set
 * headers on a WebSocket, so the ID token comes as `?token=`, and is checked as the HTTP API's JWT
 * authorizer checks it (the user pool's keys, issuer, the web client as audience, expiry). The person's id
 * goes to the `$connect` route as `personId`. On a laptop the local gateway plays this part.
 */

const issuer = process.env.DOCFLOW_JWT_ISSUER ?? '';
const audience = process.env.DOCFLOW_JWT_AUDIENCE ?? '';
let keys: ReturnType<typeof createRemoteJWKSet> | undefined;

export async function handler(event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> {
  const token = event.queryStringParameters?.token;
  if (!token) throw new Error('Unauthorized');
  keys ??= createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`));
  const { payload } = await jwtVerify(token, keys, { issuer, audience }).catch(() => {
    throw new Error('Unauthorized');
  });
  const custom = payload['custom:personId'];
  const personId = typeof custom === 'string' && custom !== '' ? custom : payload.sub;
  if (!personId) throw new Error('Unauthorized');
  return {
    principalId: personId,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn }],
    },
    context: { personId },
  };
}
