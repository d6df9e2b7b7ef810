import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { LogGroupLogDestination, WebSocketApi, WebSocketStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { WebSocketLambdaAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { WebSocketLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { resourceFinding } from '../nag';
import type { DocflowFunction } from './docflow-function';

export interface LiveInboxProps {
  /** The `$connect`/`$disconnect`/`$default` routes' function. */
  readonly routes: DocflowFunction;
  /** The `$connect` authorizer: checks the ID token given as `?token=`. */
  readonly authorizer: DocflowFunction;
  readonly logRetention: RetentionDays;
  readonly rateLimit: number;
  readonly burstLimit: number;
}

/**
 * The live inbox: an API Gateway WebSocket API that open inboxes connect to, told by the notifier (fed by
 * the circulation log's stream) when something changed for their organisation, so that folders, counts and
 * the open document update without a reload. Locally the gateway serves the same socket at `/api/live`.
 */
export class LiveInbox extends Construct {
  readonly api: WebSocketApi;
  readonly stage: WebSocketStage;

  constructor(scope: Construct, id: string, props: LiveInboxProps) {
    super(scope, id);
    const routes = new WebSocketLambdaIntegration('Routes', props.routes.handler);
    this.api = new WebSocketApi(this, 'Api', {
      description: 'docflow: the live inbox (changes pushed to open inboxes)',
      connectRouteOptions: {
        integration: routes,
        authorizer: new WebSocketLambdaAuthorizer('Token', props.authorizer.handler, {
          identitySource: ['route.request.querystring.token'],
        }),
      },
      disconnectRouteOptions: { integration: routes },
      defaultRouteOptions: { integration: routes },
    });
    // API Gateway authorizes a WebSocket connection once, at `$connect`; later messages ride on it.
    for (const key of ['$disconnect', '$default']) {
      const route = this.api.node.tryFindChild(`${key}-Route`);
      if (route)
        Validations.of(route).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason:
            'a WebSocket API authorizes only $connect; this route runs on a connection authorized there',
        });
    }
    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.stage = new WebSocketStage(this, 'Stage', {
      webSocketApi: this.api,
      stageName: 'live',
      autoDeploy: true,
      throttle: { rateLimit: props.rateLimit, burstLimit: props.burstLimit },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            time: '$context.requestTime',
            ip: '$context.identity.sourceIp',
            routeKey: '$context.routeKey',
            eventType: '$context.eventType',
            connectionId: '$context.connectionId',
            status: '$context.status',
            personId: '$context.authorizer.principalId',
            authorizerError: '$context.authorizer.error',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });
  }

  /** Lets a function send messages to open connections (and only that), at this stage's management URL. */
  grantManageConnections(fn: DocflowFunction): void {
    const connections = Stack.of(this).formatArn({
      service: 'execute-api',
      resource: this.api.apiId,
      resourceName: `${this.stage.stageName}/POST/@connections/*`,
    });
    fn.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['execute-api:ManageConnections'], resources: [connections] }),
    );
    fn.allowWildcard(
      resourceFinding(fn, connections),
      'messages to any open connection of the live inbox: connection ids are made by API Gateway at run time',
    );
    fn.addEnvironment({ DOCFLOW_LIVE_ENDPOINT: this.stage.callbackUrl });
  }
}
