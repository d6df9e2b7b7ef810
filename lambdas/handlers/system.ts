import { dynamoClient, kmsClient, s3Client } from '../adapters/aws-clients';
import { DescribeTableCommand, HeadBucketCommand, ListAliasesCommand } from '../adapters/sdk-commands';
import { type Health, systemContracts } from '../contracts/system';
import { buckets, resourceName, tables } from '../deployment/resources';
import { apiHandler } from '../http/api';
import { buildOpenApiDocument } from '../http/openapi';

type ServiceStatus = Health['services']['dynamodb'];

/**
 * Each service gets this long to answer: health answers within 2 s whatever the services do, so a load
 * balancer, a monitor or a person sees "degraded" at once rather than a gateway timeout.
 */
export const HEALTH_PROBE_MS = 1_500;

class NoAnswer extends Error {
  override readonly name = 'NoAnswer';
}

async function probe(check: (abortSignal: AbortSignal) => Promise<unknown>): Promise<ServiceStatus> {
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      abort.abort(new NoAnswer());
      reject(new NoAnswer());
    }, HEALTH_PROBE_MS);
  });
  try {
    // The SDK stops on the abort signal; the race makes sure of the deadline whatever it is doing.
    await Promise.race([check(abort.signal), deadline]);
    return { status: 'up' };
  } catch (error) {
    if (error instanceof NoAnswer || abort.signal.aborted)
      return { status: 'down', detail: `no answer within ${HEALTH_PROBE_MS} ms` };
    return { status: 'down', detail: (error as Error).name };
  } finally {
    clearTimeout(timer);
  }
}

export const handler = apiHandler('system', systemContracts, {
  'GET /api/health': async () => {
    const [dynamodb, s3, kms] = await Promise.all([
      probe((abortSignal) =>
        Promise.all(
          Object.values(tables).map((t) =>
            dynamoClient().send(new DescribeTableCommand({ TableName: resourceName(t) }), { abortSignal }),
          ),
        ),
      ),
      probe((abortSignal) =>
        Promise.all(
          Object.values(buckets).map((b) =>
            s3Client().send(new HeadBucketCommand({ Bucket: resourceName(b) }), { abortSignal }),
          ),
        ),
      ),
      probe((abortSignal) => kmsClient().send(new ListAliasesCommand({ Limit: 1 }), { abortSignal })),
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
