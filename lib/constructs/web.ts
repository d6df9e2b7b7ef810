import { existsSync } from 'node:fs';
import { CfnOutput, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  type BehaviorOptions,
  CachePolicy,
  CacheQueryStringBehavior,
  Distribution,
  Function as EdgeFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  GeoRestriction,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginSslPolicy,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import type { Policy } from 'aws-cdk-lib/aws-iam';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BucketEncryption, type IBucket } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { wildcardFindings } from '../nag';
import { DocflowBucket } from './docflow-bucket';

export interface WebProps {
  /** Host name of the HTTP API, served under `/api/*` from the same origin. */
  readonly apiDomainName: string;
  /** Origins the browser may call besides its own (presigned S3 uploads, Cognito sign-in). */
  readonly connectSources: readonly string[];
  /**
   * Exact paths of the public PKI routes (`GET /api/pki/roots`, `GET /api/pki/crl`): each gets a behavior
   * of its own, served over plain HTTP too and cached briefly, as relying parties fetch CRLs. Exact paths,
   * not a `/api/pki/*` pattern, which would also catch (and refuse) the authenticated POSTs beside them.
   */
  readonly publicPkiPaths?: readonly string[];
  readonly accessLogs: IBucket;
  readonly cloudFrontLogs: IBucket;
  readonly domain?: { readonly domainName: string; readonly certificateArn: string };
  readonly allowedCountries?: readonly string[];
  readonly webAclArn?: string;
}

/** Where the web inbox reads its deployment settings (web/index.html loads it before the app). */
export const RUNTIME_CONFIG_FILE = 'config.js';

/**
 * Client-side routes (a last path segment without a dot) get the app shell. A CloudFront Function on the
 * web behavior only, not a distribution-wide error response, which would also turn the API's own 403
 * and 404 answers into index.html.
 */
const SPA_REWRITE = `function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri.lastIndexOf('.') < uri.lastIndexOf('/')) request.uri = '/index.html';
  return request;
}`;

/**
 * The web inbox: a private S3 bucket behind CloudFront (origin access control), the HTTP API under
 * `/api/*` on the same origin, and security headers on every response.
 */
export class Web extends Construct {
  readonly bucket: DocflowBucket;
  readonly distribution: Distribution;
  /** `https://…` origins the web inbox is served from (the CloudFront domain, and the custom one if any). */
  readonly origins: readonly string[];
  /** `http://<host>`: the host relying parties reach (custom domain if any), over plain HTTP. */
  readonly publicHttpOrigin: string;

  constructor(scope: Construct, id: string, props: WebProps) {
    super(scope, id);
    // The bundle is public by nature: SSE-S3 suffices and keeps the data key out of CloudFront's reach.
    this.bucket = new DocflowBucket(this, 'Bucket', {
      encryption: BucketEncryption.S3_MANAGED,
      accessLogs: props.accessLogs,
      accessLogsPrefix: 'web/',
    });

    const csp = [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self' data: blob:",
      // pdf.js may load a PDF's embedded fonts as data: URLs.
      "font-src 'self' data:",
      `connect-src 'self' ${props.connectSources.join(' ')}`,
      // PDF rendering (pdf.js-style workers, previews of blob: URLs).
      "worker-src 'self' blob:",
      "frame-src 'self' blob:",
      "object-src 'none'",
      "base-uri 'self'",
      "form-action 'self'",
      "frame-ancestors 'none'",
      'upgrade-insecure-requests',
    ].join('; ');
    const headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'docflow: security headers on every response',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: csp, override: true },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(730),
          includeSubdomains: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        // Document ids live in paths: they must not leak to other sites in Referer headers.
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.SAME_ORIGIN, override: true },
      },
      customHeadersBehavior: {
        customHeaders: [
          { header: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=()', override: true },
          { header: 'Cross-Origin-Opener-Policy', value: 'same-origin', override: true },
        ],
      },
    });

    const spaRewrite = new EdgeFunction(this, 'SpaRewrite', {
      code: FunctionCode.fromInline(SPA_REWRITE),
      runtime: FunctionRuntime.JS_2_0,
      comment: 'docflow: client-side routes get index.html',
    });
    const api = new HttpOrigin(props.apiDomainName, {
      protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [OriginSslPolicy.TLS_V1_2],
    });

    const behaviors: Record<string, BehaviorOptions> = {};
    const publicPkiPaths = props.publicPkiPaths ?? [];
    const pkiCache =
      publicPkiPaths.length > 0
        ? new CachePolicy(this, 'PkiCache', {
            comment: 'docflow: public PKI material, briefly cached',
            defaultTtl: Duration.minutes(1),
            minTtl: Duration.seconds(0),
            maxTtl: Duration.minutes(5),
            // ?format=pem is another answer.
            queryStringBehavior: CacheQueryStringBehavior.all(),
          })
        : undefined;
    for (const path of publicPkiPaths) {
      // Before /api/*: CloudFront takes the first pattern that matches. Certificates name the CRL with an
      // http:// URL, as RFC 5280 advises (a CRL is signed, and a validator fetching it over HTTPS could
      // need that very CRL to check the server). A revocation reaches validators within minutes.
      behaviors[path] = {
        origin: api,
        viewerProtocolPolicy: ViewerProtocolPolicy.ALLOW_ALL,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: pkiCache,
        originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
        responseHeadersPolicy: headers,
      };
    }
    behaviors['/api/*'] = {
      origin: api,
      viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: AllowedMethods.ALLOW_ALL,
      cachePolicy: CachePolicy.CACHING_DISABLED,
      // Authorization, Idempotency-Key, Accept-Language and the query reach the API; Host does not
      // (API Gateway routes on its own host name).
      originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      responseHeadersPolicy: headers,
    };

    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'docflow web inbox and API',
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
      // Only a custom certificate can pin TLS 1.2; the default *.cloudfront.net one is fixed (see CFR4).
      minimumProtocolVersion: props.domain ? SecurityPolicyProtocol.TLS_V1_2_2021 : undefined,
      domainNames: props.domain ? [props.domain.domainName] : undefined,
      certificate: props.domain
        ? Certificate.fromCertificateArn(this, 'Certificate', props.domain.certificateArn)
        : undefined,
      geoRestriction: props.allowedCountries
        ? GeoRestriction.allowlist(...props.allowedCountries)
        : undefined,
      webAclId: props.webAclArn,
      enableLogging: true,
      logBucket: props.cloudFrontLogs,
      logFilePrefix: 'web/',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
        functionAssociations: [{ function: spaRewrite, eventType: FunctionEventType.VIEWER_REQUEST }],
      },
      additionalBehaviors: behaviors,
    });
    this.origins = [
      `https://${this.distribution.distributionDomainName}`,
      ...(props.domain ? [`https://${props.domain.domainName}`] : []),
    ];
    this.publicHttpOrigin = `http://${props.domain?.domainName ?? this.distribution.distributionDomainName}`;

    if (!props.allowedCountries) {
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR1',
        reason: 'officials sign while travelling; set allowedCountries in the stage settings to restrict',
      });
    }
    if (!props.webAclArn) {
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR2',
        reason: 'a CLOUDFRONT-scope web ACL lives in us-east-1, outside this regional stack; set webAclArn',
      });
    }
    if (!props.domain) {
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR4',
        reason:
          'the default *.cloudfront.net certificate cannot pin TLS 1.2; set webDomainName and webCertificateArn',
      });
    }

    new CfnOutput(this, 'WebUrl', { value: this.origins.at(-1) ?? '' });
    new CfnOutput(this, 'DistributionDomainName', {
      description: 'CNAME/alias target of the web domain',
      value: this.distribution.distributionDomainName,
    });
  }

  /**
   * Deploys the built web inbox, if it was built (web/dist is a build output: no build, no deployment),
   * with `/config.js` written for this deployment: the settings the inbox reads at start
   * (`window.DOCFLOW_CONFIG`, web/src/config.ts), with values known only at deploy time.
   */
  deployAssets(props: {
    readonly assetsPath: string;
    readonly runtimeConfig: Readonly<Record<string, unknown>>;
    readonly logRetention: RetentionDays;
  }): BucketDeployment | undefined {
    if (!existsSync(props.assetsPath)) return undefined;
    const deployment = new BucketDeployment(this, 'Deployment', {
      sources: [
        Source.asset(props.assetsPath, { exclude: [RUNTIME_CONFIG_FILE] }),
        Source.data(RUNTIME_CONFIG_FILE, `window.DOCFLOW_CONFIG = ${JSON.stringify(props.runtimeConfig)};\n`),
      ],
      destinationBucket: this.bucket,
      distribution: this.distribution,
      distributionPaths: ['/*'],
      prune: true,
      memoryLimit: 512,
      logGroup: new LogGroup(this, 'DeploymentLogs', {
        retention: props.logRetention,
        removalPolicy: RemovalPolicy.DESTROY,
      }),
    });
    // The copy runs in CDK's own singleton custom-resource function, created at stack level, whose
    // policy aws-cdk-lib writes: acknowledged there, for that function only, with what it is for.
    const why =
      'CDK BucketDeployment handler (aws-cdk-lib owns its policy): copies web/dist from the CDK asset bucket to the web bucket and invalidates the distribution';
    for (const child of Stack.of(this).node.children) {
      if (!child.node.id.startsWith('Custom::CDKBucketDeployment')) continue;
      Validations.of(child).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: `${why}; AWSLambdaBasicExecutionRole lets it write its logs`,
      });
      Validations.of(child).acknowledge({
        id: 'AwsSolutions-L1',
        reason: `${why}; its runtime is pinned by aws-cdk-lib`,
      });
      const policy = child.node.tryFindChild('ServiceRole')?.node.tryFindChild('DefaultPolicy') as
        | Policy
        | undefined;
      for (const finding of policy ? wildcardFindings(child, policy.document) : []) {
        Validations.of(child).acknowledge({ id: `AwsSolutions-IAM5[${finding}]`, reason: why });
      }
    }
    return deployment;
  }
}
