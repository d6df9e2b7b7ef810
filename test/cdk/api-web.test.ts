import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { RoleSchema } from '../../lambdas/core/domain/directory';
import { publicThrottle, routes } from '../../lambdas/routes';
import {
  type CfnResource,
  configOf,
  environmentOf,
  PROD_CONTEXT,
  resources,
  type Statement,
  template,
} from './synth';

const t = template();
const custom = template({
  context: {
    ...PROD_CONTEXT,
    allowedCountries: 'VN',
    apiRateLimit: 50,
    apiBurstLimit: 80,
    userPoolPlan: 'essentials',
    sesFromName: 'UBND thành phố Hà Nội',
  },
});
const only = (tpl: typeof t, type: string): CfnResource => {
  // The HTTP API's: the live inbox's WebSocket API (lib/constructs/live-inbox.ts) is tested on its own.
  const found = resources(tpl, type).filter(([id]) => !id.startsWith('Live'));
  expect(found, type).toHaveLength(1);
  return (found[0] as [string, CfnResource])[1];
};

describe('HTTP API', () => {
  it('has one route per route-table entry, authenticated ones behind the Cognito JWT authorizer', () => {
    const all = resources(t, 'AWS::ApiGatewayV2::Route')
      .filter(([id]) => !id.startsWith('Live'))
      .map(([, r]) => r.Properties);
    expect(all.map((r) => r.RouteKey).sort()).toEqual(routes.map((r) => `${r.method} ${r.path}`).sort());
    for (const route of routes) {
      const found = all.find((r) => r.RouteKey === `${route.method} ${route.path}`);
      expect(found?.AuthorizationType, found?.RouteKey as string).toBe(route.auth ? 'JWT' : 'NONE');
    }
    const authorizer = only(t, 'AWS::ApiGatewayV2::Authorizer').Properties;
    expect(authorizer.AuthorizerType).toBe('JWT');
    expect(JSON.stringify(authorizer.JwtConfiguration)).toMatch(/UsersUserPool.*ProviderURL/);
    expect(JSON.stringify(authorizer.JwtConfiguration)).toMatch(/UsersUserPoolWebClient/);
  });

  it('allows no cross-origin calls: the web reaches it on its own origin', () => {
    expect(only(t, 'AWS::ApiGatewayV2::Api').Properties.CorsConfiguration).toBeUndefined();
  });

  it('throttles and access-logs its one stage', () => {
    const stage = only(t, 'AWS::ApiGatewayV2::Stage').Properties;
    const { apiRateLimit, apiBurstLimit } = configOf();
    expect(stage).toMatchObject({
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: apiRateLimit, ThrottlingBurstLimit: apiBurstLimit },
    });
    const logs = stage.AccessLogSettings as { DestinationArn: unknown; Format: string };
    expect(JSON.stringify(logs.DestinationArn)).toMatch(/ApiAccessLogs/);
    const format = JSON.parse(logs.Format) as Record<string, string>;
    expect(format).toMatchObject({
      requestId: '$context.requestId',
      status: '$context.status',
      sub: '$context.authorizer.claims.sub',
    });
    expect(only(custom, 'AWS::ApiGatewayV2::Stage').Properties.DefaultRouteSettings).toEqual({
      ThrottlingRateLimit: 50,
      ThrottlingBurstLimit: 80,
    });
  });

  it('throttles the public check routes on their own, well under the stage, after the routes exist', () => {
    const [[stageId, stage]] = resources(t, 'AWS::ApiGatewayV2::Stage') as [[string, CfnResource]];
    const settings = stage.Properties.RouteSettings as Record<string, Record<string, number>>;
    expect(Object.keys(settings).sort()).toEqual([...publicThrottle.routes].sort());
    for (const key of publicThrottle.routes) {
      expect(settings[key]).toEqual({
        ThrottlingRateLimit: publicThrottle.rateLimit,
        ThrottlingBurstLimit: publicThrottle.burstLimit,
      });
    }
    expect(publicThrottle.rateLimit).toBeLessThan(configOf().apiRateLimit);
    expect(publicThrottle.burstLimit).toBeLessThan(configOf().apiBurstLimit);
    for (const key of publicThrottle.routes) {
      expect(routes.find((r) => `${r.method} ${r.path}` === key)?.auth).toBe(false);
      const [routeId] =
        resources(t, 'AWS::ApiGatewayV2::Route').find(([, r]) => r.Properties.RouteKey === key) ?? [];
      expect((stage as { DependsOn?: string[] }).DependsOn, stageId).toContain(routeId);
    }
  });

  it('takes a custom domain with TLS 1.2 when configured', () => {
    t.resourceCountIs('AWS::ApiGatewayV2::DomainName', 0);
    expect(only(custom, 'AWS::ApiGatewayV2::DomainName').Properties).toMatchObject({
      DomainName: 'api.docflow.hanoi.gov.vn',
      DomainNameConfigurations: [{ SecurityPolicy: 'TLS_1_2', EndpointType: 'REGIONAL' }],
    });
    custom.resourceCountIs('AWS::ApiGatewayV2::ApiMapping', 1);
  });
});

describe('Cognito user pool', () => {
  it('admins create users; TOTP MFA is required; passwords are strong; the pool is protected', () => {
    const pool = only(template({ context: PROD_CONTEXT }), 'AWS::Cognito::UserPool');
    expect(pool.Properties).toMatchObject({
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      Policies: { PasswordPolicy: { MinimumLength: 12, RequireSymbols: true, RequireUppercase: true } },
      DeletionProtection: 'ACTIVE',
      UserPoolTier: 'PLUS',
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
    });
    expect(pool.DeletionPolicy).toBe('Retain');
    expect(only(custom, 'AWS::Cognito::UserPool').Properties.UserPoolTier).toBe('ESSENTIALS');
  });

  it('carries the organisation in custom:orgId and the role in one group per docflow role', () => {
    expect(only(t, 'AWS::Cognito::UserPool').Properties.Schema).toEqual([
      expect.objectContaining({ Name: 'orgId', AttributeDataType: 'String', Mutable: true }),
      expect.objectContaining({ Name: 'personId', AttributeDataType: 'String', Mutable: false }),
    ]);
    const groups = resources(t, 'AWS::Cognito::UserPoolGroup').map(([, g]) => g.Properties.GroupName);
    expect(groups.sort()).toEqual([...RoleSchema.options].sort());
  });

  it('the web client reads custom:orgId and custom:personId but cannot write them, and has no secret', () => {
    const client = only(t, 'AWS::Cognito::UserPoolClient').Properties;
    expect(client.ReadAttributes).toEqual(expect.arrayContaining(['custom:orgId', 'custom:personId']));
    expect(client.WriteAttributes).toEqual(['name']);
    expect(client).toMatchObject({
      GenerateSecret: false,
      PreventUserExistenceErrors: 'ENABLED',
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    });
  });

  it('signs in through the hosted pages with the code grant, back to the web origins only', () => {
    const client = only(t, 'AWS::Cognito::UserPoolClient').Properties;
    expect(client).toMatchObject({
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      SupportedIdentityProviders: ['COGNITO'],
    });
    const callbacks = JSON.stringify(client.CallbackURLs);
    expect(callbacks).toMatch(/https:\/\/.*WebDistribution.*DomainName.*\//);
    expect(callbacks).not.toContain('localhost');
    expect(only(custom, 'AWS::Cognito::UserPoolClient').Properties.CallbackURLs).toContainEqual(
      'https://docflow.hanoi.gov.vn/',
    );
    expect(only(t, 'AWS::Cognito::UserPoolDomain').Properties).toMatchObject({ ManagedLoginVersion: 1 });
    // The code grant alone, in every stage: the web exchanges the code with PKCE (web/src/config.ts).
    expect(only(custom, 'AWS::Cognito::UserPoolClient').Properties.AllowedOAuthFlows).toEqual(['code']);
  });

  it('mails through SES from the configured identity, so invitations are not held to 50 a day', () => {
    const email = only(custom, 'AWS::Cognito::UserPool').Properties.EmailConfiguration as Record<
      string,
      string
    >;
    expect(email).toMatchObject({
      EmailSendingAccount: 'DEVELOPER',
      SourceArn: 'arn:aws:ses:ap-southeast-1:111111111111:identity/vanban@hanoi.gov.vn',
    });
    // The Vietnamese display name, MIME-encoded (RFC 2047) as mail headers need.
    const [, encoded] = /^=\?UTF-8\?B\?(.+)\?= <vanban@hanoi\.gov\.vn>$/.exec(email.From ?? '') ?? [];
    expect(Buffer.from(encoded ?? '', 'base64').toString('utf8')).toBe('UBND thành phố Hà Nội');
    const domain = template({
      context: { ...PROD_CONTEXT, sesVerifiedDomain: 'hanoi.gov.vn', sesRegion: 'ap-southeast-2' },
    });
    expect(JSON.stringify(only(domain, 'AWS::Cognito::UserPool').Properties.EmailConfiguration)).toContain(
      ':ses:ap-southeast-2:111111111111:identity/hanoi.gov.vn',
    );
    // Without SES (a stage for trying things), Cognito's own e-mail.
    expect(only(t, 'AWS::Cognito::UserPool').Properties.EmailConfiguration).toBeUndefined();
  });
});

describe('web inbox on S3 and CloudFront', () => {
  const distribution = (tpl: typeof t) =>
    only(tpl, 'AWS::CloudFront::Distribution').Properties.DistributionConfig as Record<string, unknown> & {
      CacheBehaviors: Record<string, unknown>[];
      DefaultCacheBehavior: Record<string, unknown>;
      Origins: Record<string, unknown>[];
    };

  it('serves the private web bucket through origin access control, HTTPS only, logged', () => {
    const d = distribution(t);
    const s3 = d.Origins.find((o) => o.OriginAccessControlId);
    expect(JSON.stringify(s3?.DomainName)).toMatch(/WebBucket/);
    expect(d.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(JSON.stringify(d.Logging)).toMatch(/LogsCloudFrontLogs/);
    const web = resources(t, 'AWS::S3::BucketPolicy').find(([, p]) =>
      JSON.stringify(p.Properties.Bucket).includes('WebBucket'),
    );
    expect(web).toBeDefined();
    const reads = (
      (web as [string, CfnResource])[1].Properties.PolicyDocument as { Statement: Statement[] }
    ).Statement.filter((s) => s.Effect === 'Allow');
    expect(reads).toHaveLength(1);
    expect(reads[0]?.Principal).toEqual({ Service: 'cloudfront.amazonaws.com' });
    expect(JSON.stringify(reads[0]?.Condition)).toMatch(/AWS:SourceArn.*WebDistribution/);
  });

  it('puts security headers on every behavior: HSTS, CSP, nosniff, frame denial, referrer policy', () => {
    const policy = only(t, 'AWS::CloudFront::ResponseHeadersPolicy').Properties
      .ResponseHeadersPolicyConfig as {
      SecurityHeadersConfig: Record<string, Record<string, unknown>>;
    };
    const headers = policy.SecurityHeadersConfig;
    expect(headers.StrictTransportSecurity).toMatchObject({
      AccessControlMaxAgeSec: 63072000,
      IncludeSubdomains: true,
    });
    expect(headers.ContentTypeOptions).toEqual({ Override: true });
    expect(headers.FrameOptions).toMatchObject({ FrameOption: 'DENY' });
    expect(headers.ReferrerPolicy).toMatchObject({ ReferrerPolicy: 'same-origin' });
    const csp = JSON.stringify(headers.ContentSecurityPolicy);
    for (const directive of [
      "default-src 'self'",
      "script-src 'self'",
      "frame-ancestors 'none'",
      "object-src 'none'",
    ]) {
      expect(csp).toContain(directive);
    }
    expect(csp).toContain('https://docflow-dev-intake-');
    expect(csp).toContain('https://docflow-dev-archive-');
    expect(csp).toContain('https://cognito-idp.');
    expect(csp).toMatch(/UsersUserPoolDomain.*\.auth\./);
    const d = distribution(t);
    for (const behavior of [d.DefaultCacheBehavior, ...d.CacheBehaviors]) {
      expect(JSON.stringify(behavior.ResponseHeadersPolicyId)).toMatch(/WebSecurityHeaders/);
    }
  });

  it('routes /api/* to the HTTP API uncached, and the public PKI GETs first, each cacheable over HTTP too', () => {
    const d = distribution(t);
    const publicPki = routes.filter((r) => r.method === 'GET' && !r.auth && r.path.startsWith('/api/pki/'));
    expect(publicPki.length).toBeGreaterThan(0);
    expect(d.CacheBehaviors.map((b) => b.PathPattern)).toEqual([...publicPki.map((r) => r.path), '/api/*']);
    const api = d.CacheBehaviors.at(-1) as Record<string, unknown>;
    expect(api).toMatchObject({
      ViewerProtocolPolicy: 'https-only',
      CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad', // Managed-CachingDisabled
    });
    for (const pki of d.CacheBehaviors.slice(0, -1)) {
      expect(pki).toMatchObject({ ViewerProtocolPolicy: 'allow-all', AllowedMethods: ['GET', 'HEAD'] });
    }
    t.hasResourceProperties('AWS::CloudFront::CachePolicy', {
      CachePolicyConfig: Match.objectLike({ MaxTTL: 300, DefaultTTL: 60 }),
    });
    const apiOrigin = d.Origins.find((o) => o.Id === api.TargetOriginId);
    expect(JSON.stringify(apiOrigin?.DomainName)).toMatch(/ApiHttpApi.*execute-api/);
  });

  /** CloudFront's path patterns: `*` any characters (slashes too), `?` one; the first match wins. */
  const behaviorFor = (d: ReturnType<typeof distribution>, path: string) => {
    const glob = (pattern: string) =>
      new RegExp(
        `^${pattern
          .replace(/[.+^${}()|[\]\\]/g, '\\$&')
          .replace(/\*/g, '.*')
          .replace(/\?/g, '.')}$`,
      );
    return d.CacheBehaviors.find((b) => glob(String(b.PathPattern)).test(path)) ?? d.DefaultCacheBehavior;
  };

  it.each([
    ['a dev stage', t],
    ['a production stage', custom],
  ])(
    'lets every route of lambdas/routes.ts through CloudFront with its method, to the API (%s)',
    (_, tpl) => {
      const d = distribution(tpl);
      const apiOrigins = new Set(
        d.Origins.filter(
          (o) => !o.OriginAccessControlId && !JSON.stringify(o).includes('S3OriginConfig'),
        ).map((o) => o.Id),
      );
      for (const route of routes) {
        const path = route.path.replace(/\{[^}]+\}/g, 'x-1');
        const behavior = behaviorFor(d, path);
        const label = `${route.method} ${route.path} → ${String(behavior.PathPattern ?? 'default')}`;
        // CloudFront's AllowedMethods defaults to GET and HEAD when absent.
        expect(behavior.AllowedMethods ?? ['GET', 'HEAD'], label).toContain(route.method);
        expect(apiOrigins.has(behavior.TargetOriginId), label).toBe(true);
      }
    },
  );

  it('where a custom API domain exists, CloudFront reaches the API there and execute-api is closed', () => {
    expect(only(custom, 'AWS::ApiGatewayV2::Api').Properties.DisableExecuteApiEndpoint).toBe(true);
    const d = distribution(custom);
    const apiOrigin = d.Origins.find(
      (o) => o.Id === (d.CacheBehaviors.at(-1) as Record<string, unknown>).TargetOriginId,
    );
    expect(apiOrigin?.DomainName).toBe('api.docflow.hanoi.gov.vn');
    expect(apiOrigin?.CustomOriginConfig).toMatchObject({
      OriginProtocolPolicy: 'https-only',
      OriginSSLProtocols: ['TLSv1.2'],
    });
    const outputs = Object.entries(custom.findOutputs('*')).filter(([id]) => id.startsWith('ApiApiUrl'));
    expect(outputs.map(([, o]) => o.Value)).toEqual(['https://api.docflow.hanoi.gov.vn']);
    // Without one, CloudFront's origin is execute-api itself, which must then stay open.
    expect(only(t, 'AWS::ApiGatewayV2::Api').Properties.DisableExecuteApiEndpoint).toBe(false);
  });

  it('tells the CA signers the public CRL URL that certificates will carry', () => {
    const crlUrl = JSON.stringify(environmentOf(t, 'CertificateAuthorityFunction').DOCFLOW_CRL_URL);
    expect(crlUrl).toMatch(/http:\/\/.*WebDistribution.*DomainName.*\/api\/pki\/crl/);
    expect(environmentOf(custom, 'CertificateAuthorityFunction').DOCFLOW_CRL_URL).toBe(
      'http://docflow.hanoi.gov.vn/api/pki/crl',
    );
    // Only the CA makes certificates: no other function needs to know the URL.
    for (const other of ['InboxFunction', 'PkiFunction', 'SigningFunction', 'AuditFunction']) {
      expect(environmentOf(t, other).DOCFLOW_CRL_URL).toBeUndefined();
    }
  });

  it('uses the custom domain with TLS 1.2 and the country allowlist when configured', () => {
    const d = distribution(custom);
    expect(d.Aliases).toEqual(['docflow.hanoi.gov.vn']);
    expect(d.ViewerCertificate).toMatchObject({
      MinimumProtocolVersion: 'TLSv1.2_2021',
      SslSupportMethod: 'sni-only',
    });
    expect(d.Restrictions).toEqual({ GeoRestriction: { Locations: ['VN'], RestrictionType: 'whitelist' } });
  });

  it('deploys web/dist only when it exists', () => {
    t.resourceCountIs('Custom::CDKBucketDeployment', 0);
    const dist = mkdtempSync(join(tmpdir(), 'docflow-web-'));
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>docflow</title>');
    const withWeb = template({ webAssetsPath: dist });
    withWeb.resourceCountIs('Custom::CDKBucketDeployment', 1);
    withWeb.hasResourceProperties('Custom::CDKBucketDeployment', {
      Prune: true,
      DistributionPaths: ['/*'],
      DestinationBucketName: { Ref: Match.stringLikeRegexp('^WebBucket') },
    });
    // config.js is written at deploy time with the sign-in domain and client id, not taken from web/dist.
    const deployment = only(withWeb, 'Custom::CDKBucketDeployment').Properties;
    expect(deployment.SourceObjectKeys).toHaveLength(2);
    const markers = JSON.stringify(deployment.SourceMarkers);
    expect(markers).toMatch(/UsersUserPoolWebClient/);
    expect(markers).toMatch(/UsersUserPoolDomain/);
  });
});
