import { DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { describe, expect, it } from 'vitest';
import { api, login, stack, stateFingerprint } from '../support/api';
import { draft, post } from '../support/flow';

/**
 * Every committed event reaches the transparency log through the log table's stream (the local stack plays
 * the event source), without anyone reading the document: tamper evidence does not wait for an audit.
 */

async function sequencedSeqs(documentId: string): Promise<number[]> {
  const dynamo = new DynamoDBClient({
    endpoint: stack().services.dynamodb,
    region: stack().environment.AWS_REGION,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  try {
    const page = await dynamo.send(
      new QueryCommand({
        TableName: stack().environment.DOCFLOW_VIEWS_TABLE,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: `TLOG#EVENT#${documentId}` } },
        ConsistentRead: true,
      }),
    );
    return (page.Items ?? []).map((item) => Number(item.sk?.S)).sort((a, b) => a - b);
  } finally {
    dynamo.destroy();
  }
}

async function eventually<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await probe();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    value = await probe();
  }
  return value;
}

describe('the transparency log follows the circulation log', () => {
  it('sequences each event shortly after it is committed, in order, without a read', async () => {
    const id = await draft();
    await post('city-specialist', `/api/documents/${id}/submit`);
    const seqs = await eventually(
      () => sequencedSeqs(id),
      (s) => s.length >= 2,
    );
    expect(seqs).toEqual([1, 2]);
  });
});

describe('the scheduled tree-head publisher', () => {
  /** What EventBridge does on schedule (lib/schedules.ts): Lambda Invoke, here at the local endpoint. */
  async function invokePublisher(): Promise<{ treeSize: number; timestamp: string }> {
    const lambda = new LambdaClient({
      endpoint: stack().environment.AWS_ENDPOINT_URL_LAMBDA,
      region: stack().environment.AWS_REGION,
      // The operator's, as EventBridge's role would: invoking needs lambda:InvokeFunction.
      credentials: {
        accessKeyId: stack().environment.AWS_ACCESS_KEY_ID ?? '',
        secretAccessKey: stack().environment.AWS_SECRET_ACCESS_KEY ?? '',
      },
    });
    try {
      const out = await lambda.send(new InvokeCommand({ FunctionName: 'treeHeadPublisher', Payload: '{}' }));
      const text = new TextDecoder().decode(out.Payload);
      expect(out.FunctionError, text).toBeUndefined();
      return JSON.parse(text);
    } finally {
      lambda.destroy();
    }
  }

  it('signs the head of the log as it stands, the very head auditors then read; again, it changes nothing', async () => {
    await stateFingerprint(); // the sequencer has caught up
    const published = await invokePublisher();
    expect(published.treeSize).toBeGreaterThan(0);
    const head = await api<{ treeSize: number; timestamp: string }>('GET', '/api/transparency/head', {
      token: await login('city-auditor'),
    });
    expect(head.body).toMatchObject(published);
    const before = await stateFingerprint();
    expect(await invokePublisher()).toEqual(published);
    expect(await stateFingerprint()).toBe(before);
  });
});
