import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyResultV2, APIGatewayProxyWebsocketEventV2 } from 'aws-lambda';
import { dynamoDirectory } from '../adapters/directory-store';
import { dynamoLiveConnections } from '../adapters/live-connections';
import { logger, tracer } from '../observability';

/**
 * The live inbox's WebSocket routes. `$connect` has passed the authorizer (liveAuthorizer deployed, the
 * local gateway playing it), which names the person; the connection is kept under their organisation as
 * the directory says now. `$disconnect` forgets it. Clients send nothing that matters (`$default` answers).
 */

type Event = APIGatewayProxyWebsocketEventV2 & {
  requestContext: APIGatewayProxyWebsocketEventV2['requestContext'] & { authorizer?: { personId?: string } };
};

async function live(event: Event): Promise<APIGatewayProxyResultV2> {
  const { routeKey, connectionId } = event.requestContext;
  if (routeKey === '$connect') {
    const personId = event.requestContext.authorizer?.personId;
    const person = personId ? await dynamoDirectory.findPerson(personId) : undefined;
    if (!person) return { statusCode: 401 };
    await dynamoLiveConnections.connect(
      connectionId,
      { id: person.id, orgId: person.position.orgId },
      new Date().toISOString(),
    );
    logger.info('live inbox connected', { orgId: person.position.orgId });
    return { statusCode: 200 };
  }
  if (routeKey === '$disconnect') {
    await dynamoLiveConnections.disconnect(connectionId);
    return { statusCode: 200 };
  }
  return { statusCode: 200, body: '{"type":"pong"}' };
}

export const handler = middy(live)
  .use(captureLambdaHandler(tracer, { captureResponse: false }))
  .use(injectLambdaContext(logger));
