import { CfnOutput, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  ApiMapping,
  type CfnStage,
  DomainName,
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  HttpStage,
  LogGroupLogDestination,
  SecurityPolicy,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import type { UserPool, UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { publicThrottle, type RouteSpec } from '../../lambdas/routes';
import type { DocflowFunction } from './docflow-function';

/** A route of the route table, for any set of function names. */
export type ApiRoute = Omit<RouteSpec, 'function'> & { readonly function: string };

export interface DocflowApiProps {
  /** Stage-wide default route throttling. */
  readonly rateLimit: number;
  readonly burstLimit: number;
  readonly logRetention: RetentionDays;
  readonly domain?: { readonly domainName: string; readonly certificateArn: string };
}

export interface ApiRoutesProps {
  readonly functions: Readonly<Record<string, DocflowFunction>>;
  readonly routes: readonly ApiRoute[];
  readonly userPool: UserPool;
  readonly userPoolClient: UserPoolClient;
}

/**
 * The HTTP API: one route per route-table entry, each integrated with its function, authenticated routes
 * behind a JWT authorizer on the Cognito user pool, throttled and access-logged on its one stage.
 * No CORS: the web inbox reaches the API through its own CloudFront distribution, same origin.
 *
 * With a custom domain, CloudFront reaches the API on that domain and the default execute-api endpoint is
 * disabled, so nobody reaches the API around CloudFront's WAF and geo restriction by that address. Without
 * one, CloudFront's origin is the execute-api endpoint, which must then stay open (a stage for testing).
 */
export class DocflowApi extends Construct {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;
  private readonly domainName: string | undefined;

  constructor(scope: Construct, id: string, props: DocflowApiProps) {
    super(scope, id);
    this.domainName = props.domain?.domainName;
    this.httpApi = new HttpApi(this, 'HttpApi', {
      description: 'docflow: e-signing and circulation of official documents',
      createDefaultStage: false,
      disableExecuteApiEndpoint: props.domain !== undefined,
    });
    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.rateLimit, burstLimit: props.burstLimit },
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        // Who (the token's subject, never its contents), what, and how it ended.
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            time: '$context.requestTime',
            ip: '$context.identity.sourceIp',
            userAgent: '$context.identity.userAgent',
            routeKey: '$context.routeKey',
            status: '$context.status',
            sub: '$context.authorizer.claims.sub',
            authorizerError: '$context.authorizer.error',
            integrationError: '$context.integrationErrorMessage',
            latencyMs: '$context.responseLatency',
            integrationLatencyMs: '$context.integrationLatency',
            responseLength: '$context.responseLength',
          }),
        ),
      },
    });

    if (props.domain) {
      const domainName = new DomainName(this, 'Domain', {
        domainName: props.domain.domainName,
        certificate: Certificate.fromCertificateArn(this, 'Certificate', props.domain.certificateArn),
        securityPolicy: SecurityPolicy.TLS_1_2,
      });
      new ApiMapping(this, 'Mapping', { api: this.httpApi, domainName, stage: this.stage });
      new CfnOutput(this, 'ApiDomainTarget', {
        description: `CNAME/alias target for ${props.domain.domainName}`,
        value: domainName.regionalDomainName,
      });
    }
    new CfnOutput(this, 'ApiUrl', {
      value: this.domainName ? `https://${this.domainName}` : this.httpApi.apiEndpoint,
    });
  }

  /** Whether the default execute-api endpoint answers (only when there is no custom domain). */
  get executeApiEndpointEnabled(): boolean {
    return this.domainName === undefined;
  }

  /**
   * One route per route-table entry, each integrated with its function; authenticated routes behind the
   * JWT authorizer (tokens of the user pool, for the web client).
   */
  addRoutes(props: ApiRoutesProps): void {
    const authorizer = new HttpJwtAuthorizer('Cognito', props.userPool.userPoolProviderUrl, {
      jwtAudience: [props.userPoolClient.userPoolClientId],
    });
    const integrations = new Map<string, HttpLambdaIntegration>();
    const throttledRoutes: Construct[] = [];
    for (const route of props.routes) {
      const fn = props.functions[route.function];
      if (!fn) throw new Error(`route ${route.method} ${route.path}: no function named ${route.function}`);
      let integration = integrations.get(route.function);
      if (!integration) {
        // One invoke permission per function for this API, not one per route: ~100 routes would otherwise
        // add ~100 AWS::Lambda::Permission resources and take the stack past CloudFormation's 500.
        integration = new HttpLambdaIntegration(`${route.function}Integration`, fn.handler, {
          scopePermissionToRoute: false,
        });
        integrations.set(route.function, integration);
      }
      const [added] = this.httpApi.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration,
        authorizer: route.auth ? authorizer : new HttpNoneAuthorizer(),
      });
      if (added && (publicThrottle.routes as readonly string[]).includes(`${route.method} ${route.path}`))
        throttledRoutes.push(added);
      if (added && !route.auth) {
        Validations.of(added).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `${route.method} ${route.path} is public by design (auth: false in lambdas/routes.ts)`,
        });
        Validations.of(added).acknowledge({
          id: 'AwsSolutions-COG4',
          reason: `${route.method} ${route.path} is public by design (auth: false in lambdas/routes.ts)`,
        });
      }
    }
    // The public check verifies a PDF for anyone: its routes get a throttle of their own, well under the
    // stage's, so that a flood of checks cannot take the stage's capacity from the officials' routes.
    // (Per client, a rate rule belongs in the CloudFront web ACL, which is given by ARN: lib/config.ts.)
    const mentioned = new Set(props.routes.map((r) => `${r.method} ${r.path}`));
    const routeSettings = Object.fromEntries(
      publicThrottle.routes
        .filter((key) => mentioned.has(key))
        .map((key) => [
          key,
          // A JSON property: CloudFormation's own (Pascal case) names, as CDK passes it unchanged.
          { ThrottlingRateLimit: publicThrottle.rateLimit, ThrottlingBurstLimit: publicThrottle.burstLimit },
        ]),
    );
    if (Object.keys(routeSettings).length > 0) {
      const cfnStage = this.stage.node.defaultChild as CfnStage;
      cfnStage.routeSettings = routeSettings;
      // RouteSettings name routes by key: the stage must be made after them.
      for (const added of throttledRoutes) cfnStage.node.addDependency(added);
    }
  }

  /** The API's host name, as a CloudFront origin: the custom domain if any, else the execute-api one. */
  get originDomainName(): string {
    return (
      this.domainName ??
      `${this.httpApi.apiId}.execute-api.${this.httpApi.stack.region}.${this.httpApi.stack.urlSuffix}`
    );
  }
}
