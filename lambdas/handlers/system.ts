import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { ListAliasesCommand } from '@aws-sdk/client-kms';
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { dynamoClient, kmsClient, s3Client } from '../adapters/aws-clients';
import { type Health, systemContracts } from '../contracts/system';
import { buckets, resourceName, tables } from '../deployment/resources';
import { apiHandler } from '../http/api';
import { buildOpenApiDocument } from '../http/openapi';

type ServiceStatus = Health['services']['dynamodb'];

async function probe(check: () => Promise<unknown>): Promise<ServiceStatus> {
  try {
    await check();
    return { status: 'up' };
  } catch (error) {
    return { status: 'down', detail: (error as Error).name };
  }
}

export const handler = apiHandler('system', systemContracts, {
  'GET /api/health': async () => {
    const [dynamodb, s3, kms] = await Promise.all([
      probe(() =>
        Promise.all(
          Object.values(tables).map((t) =>
            dynamoClient().send(new DescribeTableCommand({ TableName: resourceName(t) })),
          ),
        ),
      ),
      probe(() =>
        Promise.all(
          Object.values(buckets).map((b) =>
            s3Client().send(new HeadBucketCommand({ Bucket: resourceName(b) })),
          ),
        ),
      ),
      probe(() => kmsClient().send(new ListAliasesCommand({ Limit: 1 }))),
    ]);
    const services = { dynamodb, s3, kms };
    const healthy = Object.values(services).every((s) => s.status === 'up');
    const body: Health = {
      status: healthy ? 'ok' : 'degraded',
      stage: process.env.DOCFLOW_STAGE ?? 'unknown',
      services,
    };
    return { status: healthy ? 200 : 503, body };
  },
  'GET /api/openapi.json': async ({ event }) => ({
    status: 200,
    body: buildOpenApiDocument(
      `${event.headers['x-forwarded-proto'] ?? 'https'}://${event.requestContext.domainName}`,
    ),
  }),
});
