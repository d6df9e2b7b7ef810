import type { ApiGatewayManagementApiClient } from '@aws-sdk/client-apigatewaymanagementapi';
import { resourceName, tables } from '../deployment/resources';
import { logger, tracer } from '../observability';
import type { LiveConnections } from '../ports/notifications';
import { boundedConfig, documentClient } from './aws-clients';
import { apiGatewayManagementSdk, LazyClient } from './lazy-sdk';
import { queryAll } from './query-all';
import { DeleteCommand, GetCommand, PostToConnectionCommand, PutCommand } from './sdk-commands';

/*
 * Open live-inbox connections in the notifications table: `LIVE#<org>` / `<connectionId>` to find them by
 * organisation, `CONN#<connectionId>` to forget them on disconnect. They expire after 2 hours, API Gateway's
 * own limit on a WebSocket connection. Messages go out through the API Gateway Management API at
 * DOCFLOW_LIVE_ENDPOINT (the WebSocket stage deployed, the local gateway on a laptop).
 */

const table = () => resourceName(tables.notifications);
const CONNECTION_SECONDS = 2 * 3600;
let management: LazyClient<ApiGatewayManagementApiClient> | undefined;

function client(): LazyClient<ApiGatewayManagementApiClient> {
  const endpoint = process.env.DOCFLOW_LIVE_ENDPOINT;
  if (!endpoint) throw new Error('environment variable DOCFLOW_LIVE_ENDPOINT is not set');
  management ??= new LazyClient(async () =>
    tracer.captureAWSv3Client(
      new (await apiGatewayManagementSdk()).ApiGatewayManagementApiClient({
        ...boundedConfig({
          connectionTimeoutMs: 1_000,
          requestTimeoutMs: 3_000,
          socketTimeoutMs: 3_000,
          maxAttempts: 2,
        }),
        endpoint,
      }),
    ),
  );
  return management;
}

export const dynamoLiveConnections: LiveConnections = {
  async connect(connectionId, person, at) {
    const expiresAt = Math.floor(new Date(at).getTime() / 1000) + CONNECTION_SECONDS;
    await Promise.all([
      documentClient().send(
        new PutCommand({
          TableName: table(),
          Item: { pk: `LIVE#${person.orgId}`, sk: connectionId, personId: person.id, expiresAt },
        }),
      ),
      documentClient().send(
        new PutCommand({
          TableName: table(),
          Item: { pk: `CONN#${connectionId}`, sk: 'CONN', orgId: person.orgId, expiresAt },
        }),
      ),
    ]);
  },
  async disconnect(connectionId) {
    const { Item } = await documentClient().send(
      new GetCommand({ TableName: table(), Key: { pk: `CONN#${connectionId}`, sk: 'CONN' } }),
    );
    if (!Item) return;
    await Promise.all([
      documentClient().send(
        new DeleteCommand({
          TableName: table(),
          Key: { pk: `LIVE#${String(Item.orgId)}`, sk: connectionId },
        }),
      ),
      documentClient().send(
        new DeleteCommand({ TableName: table(), Key: { pk: `CONN#${connectionId}`, sk: 'CONN' } }),
      ),
    ]);
  },
  async push(orgIds, message) {
    const data = new TextEncoder().encode(JSON.stringify(message));
    const now = Math.floor(Date.now() / 1000);
    let sent = 0;
    await Promise.all(
      [...new Set(orgIds)].map(async (orgId) => {
        const connections = await queryAll({
          TableName: table(),
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': `LIVE#${orgId}` },
        });
        await Promise.all(
          connections
            .filter((c) => Number(c.expiresAt) > now)
            .map(async (c) => {
              const connectionId = String(c.sk);
              try {
                await client().send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: data }));
                sent++;
              } catch (error) {
                if ((error as Error).name === 'GoneException')
                  await dynamoLiveConnections.disconnect(connectionId);
                else logger.warn('a live message was not delivered', { connectionId, error: error as Error });
              }
            }),
        );
      }),
    );
    return sent;
  },
};
