import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, CfnParameter, Duration, Stack, Token } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { SERVICE_TOKEN_EXPORT_NAME, SERVICE_TOKEN_PARAMETER_NAME } from '../../../handler/src/contract';
import { handlerBundleDirectory } from '../../../construct/handler-bundle';
import { OrgEcrRepositoryProvider } from '../../../construct/provider';
import { ACCOUNT, givenAgnosticStack, givenProvider, givenStack, logicalIdOf, REGION, templateOf } from './given';

const partitionArn = (rest: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, rest]] });
const keys = partitionArn(`:kms:${REGION}:${ACCOUNT}:key/*`);
const ownStacks = partitionArn(`:cloudformation:${REGION}:${ACCOUNT}:stack/*`);

function policyStatements(template: ReturnType<typeof templateOf>): Array<Record<string, unknown>> {
  const policies = Object.values(template.findResources('AWS::IAM::Policy'));
  expect(policies).toHaveLength(1);
  return (policies[0] as { Properties: { PolicyDocument: { Statement: Array<Record<string, unknown>> } } }).Properties.PolicyDocument.Statement;
}

describe('OrgEcrRepositoryProvider', () => {
  describe('function', () => {
    it('deploys the bundle on nodejs24.x arm64 with 256 MB, 5 minutes and JSON logs when given only the prefix', () => {
      // GIVEN
      const stack = givenStack();
      // WHEN
      givenProvider(stack);
      // THEN
      const template = templateOf(stack);
      template.hasResourceProperties('AWS::Lambda::Function', {
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        MemorySize: 256,
        Timeout: 300,
        LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: logicalIdOf(template, 'AWS::Logs::LogGroup') } },
      });
      template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
    });

    it('uses the given memory size, timeout and log retention', () => {
      // GIVEN
      const stack = givenStack();
      // WHEN
      const provider = givenProvider(stack, { memorySize: 512, timeout: Duration.minutes(2), logRetention: logs.RetentionDays.ONE_MONTH });
      // THEN
      const template = templateOf(stack);
      template.hasResourceProperties('AWS::Lambda::Function', { MemorySize: 512, Timeout: 120 });
      template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
      expect(provider.timeout.toSeconds()).toBe(120);
    });

    it('writes every setting into the environment when given all props', () => {
      // GIVEN
      const stack = givenStack();
      // WHEN
      givenProvider(stack, {
        environmentAccounts: { dev: '111111111111', prod: '222222222222' },
        mandatoryTags: { 'cost-center': 'platform' },
        kmsKeyRotation: true,
        kmsKeyDeletionWindowDays: 7,
        parameterPrefix: '/platform/ecr',
        imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
        imageTagMutabilityExclusionFilters: ['latest', 'dev-*'],
        untaggedImageExpiryDays: 0,
        requireKmsKey: true,
      });
      // THEN
      templateOf(stack).hasResourceProperties('AWS::Lambda::Function', {
        Environment: {
          Variables: {
            ORG_PREFIX: 'acme',
            ORG_ENVIRONMENT_ACCOUNTS: '{"dev":"111111111111","prod":"222222222222"}',
            ORG_MANDATORY_TAGS: '{"cost-center":"platform"}',
            ORG_KMS_KEY_ROTATION: 'true',
            ORG_KMS_DELETION_WINDOW_DAYS: '7',
            ORG_SSM_PARAMETER_PREFIX: '/platform/ecr',
            ORG_IMAGE_TAG_MUTABILITY: 'IMMUTABLE_WITH_EXCLUSION',
            ORG_IMAGE_TAG_MUTABILITY_EXCLUSION_FILTERS: 'latest,dev-*',
            ORG_UNTAGGED_IMAGE_EXPIRY_DAYS: '0',
            ORG_REQUIRE_KMS_KEY: 'true',
          },
        },
      });
    });

    it('writes the defaults into the environment when given only the prefix', () => {
      // GIVEN
      const stack = givenStack();
      // WHEN
      givenProvider(stack);
      // THEN
      templateOf(stack).hasResourceProperties('AWS::Lambda::Function', {
        Environment: {
          Variables: {
            ORG_PREFIX: 'acme',
            ORG_ENVIRONMENT_ACCOUNTS: '{}',
            ORG_MANDATORY_TAGS: '{}',
            ORG_KMS_KEY_ROTATION: 'false',
            ORG_KMS_DELETION_WINDOW_DAYS: '30',
            ORG_SSM_PARAMETER_PREFIX: Match.absent(),
            // Absent: the handler's compliant defaults (IMMUTABLE, 14 days, no key required)
            ORG_IMAGE_TAG_MUTABILITY: Match.absent(),
            ORG_UNTAGGED_IMAGE_EXPIRY_DAYS: Match.absent(),
            ORG_REQUIRE_KMS_KEY: Match.absent(),
          },
        },
      });
    });

    it('passes CfnParameter tokens through to the environment when given them', () => {
      // GIVEN
      const stack = givenAgnosticStack();
      const parameter = (id: string, type = 'String') => new CfnParameter(stack, id, { type });
      // WHEN
      givenProvider(stack, {
        organizationPrefix: parameter('Prefix').valueAsString,
        environmentAccounts: Token.asAny(parameter('Accounts').valueAsString) as unknown as Record<string, string>,
        mandatoryTags: { team: parameter('Team').valueAsString },
        kmsKeyRotation: Token.asAny(parameter('Rotation').valueAsString) as unknown as boolean,
        kmsKeyDeletionWindowDays: parameter('Window', 'Number').valueAsNumber,
        parameterPrefix: parameter('ParameterPrefix').valueAsString,
        imageTagMutability: parameter('Mutability').valueAsString as 'IMMUTABLE',
        imageTagMutabilityExclusionFilters: Token.asAny(parameter('Filters').valueAsString) as unknown as string[],
        untaggedImageExpiryDays: parameter('Untagged', 'Number').valueAsNumber,
        requireKmsKey: Token.asAny(parameter('RequireKey').valueAsString) as unknown as boolean,
        code: lambda.Code.fromBucket(s3.Bucket.fromBucketName(stack, 'Bucket', parameter('CodeBucket').valueAsString), 'provider.zip'),
      });
      // THEN
      const variables = templateOf(stack).findResources('AWS::Lambda::Function');
      const environment = (Object.values(variables)[0] as { Properties: { Environment: { Variables: Record<string, unknown> } } }).Properties.Environment.Variables;
      expect(environment).toEqual({
        ORG_PREFIX: { Ref: 'Prefix' },
        ORG_PROVIDER_ROLE_ARN: { 'Fn::GetAtt': [expect.stringMatching(/^ProviderRole/), 'Arn'] },
        ORG_ENVIRONMENT_ACCOUNTS: { Ref: 'Accounts' },
        ORG_MANDATORY_TAGS: { 'Fn::Join': ['', ['{"team":"', { Ref: 'Team' }, '"}']] },
        ORG_KMS_KEY_ROTATION: { Ref: 'Rotation' },
        ORG_KMS_DELETION_WINDOW_DAYS: { Ref: 'Window' },
        ORG_SSM_PARAMETER_PREFIX: { Ref: 'ParameterPrefix' },
        ORG_IMAGE_TAG_MUTABILITY: { Ref: 'Mutability' },
        ORG_IMAGE_TAG_MUTABILITY_EXCLUSION_FILTERS: { Ref: 'Filters' },
        ORG_UNTAGGED_IMAGE_EXPIRY_DAYS: { Ref: 'Untagged' },
        ORG_REQUIRE_KMS_KEY: { Ref: 'RequireKey' },
      });
    });

    it('deploys the prebuilt handler/dist folder as the code by default', () => {
      // GIVEN
      const stack = givenStack();
      givenProvider(stack);
      // WHEN
      const directory = (stack.node.root as App).synth().directory;
      // THEN
      const assets = readdirSync(directory).filter((name) => name.startsWith('asset.'));
      expect(assets).toHaveLength(1);
      const staged = readFileSync(join(directory, assets[0] as string, 'index.mjs'));
      expect(staged.equals(readFileSync(join(handlerBundleDirectory(), 'index.mjs')))).toBe(true);
    });

    it('uses the given code when given code', () => {
      // GIVEN
      const stack = givenStack();
      const bucket = s3.Bucket.fromBucketName(stack, 'Bucket', 'artifacts');
      // WHEN
      givenProvider(stack, { code: lambda.Code.fromBucket(bucket, 'org-ecr/provider.zip') });
      // THEN
      templateOf(stack).hasResourceProperties('AWS::Lambda::Function', { Code: { S3Bucket: 'artifacts', S3Key: 'org-ecr/provider.zip' } });
    });
  });

  describe('handler bundle', () => {
    it('finds the bundle beside the source folder when run from construct/', () => {
      // GIVEN
      const root = mkdtempSync(join(tmpdir(), 'bundle-'));
      mkdirSync(join(root, 'construct'));
      mkdirSync(join(root, 'handler', 'dist'), { recursive: true });
      writeFileSync(join(root, 'handler', 'dist', 'index.mjs'), '');
      // WHEN
      const found = handlerBundleDirectory(join(root, 'construct'));
      // THEN
      expect(found).toBe(join(root, 'handler', 'dist'));
    });

    it('finds the bundle two levels up when run from the compiled lib/construct/', () => {
      // GIVEN
      const root = mkdtempSync(join(tmpdir(), 'bundle-'));
      mkdirSync(join(root, 'lib', 'construct'), { recursive: true });
      mkdirSync(join(root, 'handler', 'dist'), { recursive: true });
      writeFileSync(join(root, 'handler', 'dist', 'index.mjs'), '');
      // WHEN
      const found = handlerBundleDirectory(join(root, 'lib', 'construct'));
      // THEN
      expect(found).toBe(join(root, 'handler', 'dist'));
    });

    it('fails naming `npm run build` when the bundle is missing', () => {
      // GIVEN
      const root = mkdtempSync(join(tmpdir(), 'bundle-'));
      // WHEN / THEN
      expect(() => handlerBundleDirectory(join(root, 'lib', 'construct'))).toThrow(/bundle is missing.*Run `npm run build`.*or pass the `code` prop/);
    });
  });

  describe('ServiceToken', () => {
    it('publishes the function ARN as the stack export and the SSM parameter by default', () => {
      // GIVEN
      const stack = givenStack();
      // WHEN
      givenProvider(stack);
      // THEN
      const template = templateOf(stack);
      const functionArn = { 'Fn::GetAtt': [logicalIdOf(template, 'AWS::Lambda::Function'), 'Arn'] };
      template.hasOutput('*', { Value: functionArn, Export: { Name: SERVICE_TOKEN_EXPORT_NAME } });
      template.hasResourceProperties('AWS::SSM::Parameter', { Name: SERVICE_TOKEN_PARAMETER_NAME, Type: 'String', Value: functionArn });
    });

    it('publishes nothing when publishServiceToken is false', () => {
      // GIVEN
      const stack = givenStack();
      // WHEN
      givenProvider(stack, { publishServiceToken: false });
      // THEN
      const template = templateOf(stack);
      template.resourceCountIs('AWS::SSM::Parameter', 0);
      expect(Object.keys(template.findOutputs('*'))).toHaveLength(0);
    });

    it('fails naming the other provider when two providers in one stack publish', () => {
      // GIVEN
      const stack = givenStack();
      givenProvider(stack);
      // WHEN / THEN
      expect(() => new OrgEcrRepositoryProvider(stack, 'Second', { organizationPrefix: 'acme' })).toThrow(
        /Test\/Second: only one provider per account and Region may publish the ServiceToken \(export `OrgEcrRepositoryServiceToken`.*Test\/Provider already does in the same stack; set `publishServiceToken: false`/,
      );
    });

    it('fails when a stack of the same account and Region already has a publishing provider', () => {
      // GIVEN
      const app = new App();
      givenProvider(givenStack('First', app));
      // WHEN / THEN
      expect(() => givenProvider(givenStack('Second', app))).toThrow(/First\/Provider already does in 111111111111\/eu-west-1/);
    });

    it('accepts a second provider that does not publish, and publishers in other Regions or agnostic stacks', () => {
      // GIVEN
      const app = new App();
      givenProvider(givenStack('First', app));
      // WHEN / THEN
      expect(() => new OrgEcrRepositoryProvider(Stack.of(app.node.findChild('First')), 'Quiet', { organizationPrefix: 'acme', publishServiceToken: false })).not.toThrow();
      expect(() => givenProvider(new Stack(app, 'Elsewhere', { env: { account: '111111111111', region: 'eu-central-1' } }))).not.toThrow();
      expect(() => givenProvider(new Stack(app, 'Agnostic'))).not.toThrow();
    });
  });

  describe('permissions', () => {
    it('grants exactly the documented statements when given the prefix', () => {
      // GIVEN
      const stack = givenStack();
      // WHEN
      givenProvider(stack);
      // THEN
      const template = templateOf(stack);
      const ownedKey = {
        StringLike: { 'aws:ResourceTag/org-ecr:stack-id': ownStacks },
        'ForAnyValue:StringLike': { 'kms:ResourceAliases': 'alias/acme-*' },
      };
      const viaEcr = { StringEquals: { 'kms:ViaService': { 'Fn::Join': ['', [`ecr.${REGION}.`, { Ref: 'AWS::URLSuffix' }]] } } };
      expect(policyStatements(template)).toEqual([
        {
          Sid: 'EcrManageOrganisationRepositories',
          Effect: 'Allow',
          Action: [
            'ecr:CreateRepository',
            'ecr:DescribeRepositories',
            'ecr:DeleteRepository',
            'ecr:TagResource',
            'ecr:UntagResource',
            'ecr:ListTagsForResource',
            'ecr:PutLifecyclePolicy',
            'ecr:GetLifecyclePolicy',
            'ecr:DeleteLifecyclePolicy',
            'ecr:SetRepositoryPolicy',
            'ecr:GetRepositoryPolicy',
            'ecr:DeleteRepositoryPolicy',
            'ecr:PutImageScanningConfiguration',
            'ecr:PutImageTagMutability',
          ],
          Resource: partitionArn(`:ecr:${REGION}:${ACCOUNT}:repository/acme-*`),
        },
        {
          Sid: 'EcrManageOwnedRepositoriesUnderEarlierNames',
          Effect: 'Allow',
          Action: [
            'ecr:DescribeRepositories',
            'ecr:DeleteRepository',
            'ecr:TagResource',
            'ecr:UntagResource',
            'ecr:ListTagsForResource',
            'ecr:PutLifecyclePolicy',
            'ecr:GetLifecyclePolicy',
            'ecr:DeleteLifecyclePolicy',
            'ecr:SetRepositoryPolicy',
            'ecr:GetRepositoryPolicy',
            'ecr:DeleteRepositoryPolicy',
            'ecr:PutImageScanningConfiguration',
            'ecr:PutImageTagMutability',
          ],
          Resource: partitionArn(`:ecr:${REGION}:${ACCOUNT}:repository/*`),
          Condition: { StringLike: { 'aws:ResourceTag/org-ecr:stack-id': ownStacks } },
        },
        {
          Sid: 'KmsCreateOwnedKeys',
          Effect: 'Allow',
          Action: 'kms:CreateKey',
          Resource: '*',
          Condition: { StringLike: { 'aws:RequestTag/org-ecr:stack-id': ownStacks } },
        },
        {
          Sid: 'KmsTagKeysAtCreation',
          Effect: 'Allow',
          Action: 'kms:TagResource',
          Resource: keys,
          Condition: { StringLike: { 'aws:RequestTag/org-ecr:stack-id': ownStacks } },
        },
        {
          Sid: 'KmsManageOwnedKeys',
          Effect: 'Allow',
          Action: [
            'kms:DescribeKey',
            'kms:PutKeyPolicy',
            'kms:EnableKeyRotation',
            'kms:DisableKeyRotation',
            'kms:TagResource',
            'kms:UntagResource',
            'kms:ListResourceTags',
            'kms:CreateAlias',
            'kms:UpdateAlias',
            'kms:DeleteAlias',
            'kms:EnableKey',
            'kms:CancelKeyDeletion',
            'kms:ScheduleKeyDeletion',
          ],
          Resource: keys,
          Condition: ownedKey,
        },
        {
          Sid: 'KmsManageAliasesOfOwnedKeys',
          Effect: 'Allow',
          Action: ['kms:CreateAlias', 'kms:UpdateAlias', 'kms:DeleteAlias'],
          Resource: partitionArn(`:kms:${REGION}:${ACCOUNT}:alias/*`),
        },
        {
          Sid: 'KmsDescribeKeysByOrganisationAlias',
          Effect: 'Allow',
          Action: 'kms:DescribeKey',
          Resource: keys,
          Condition: { StringLike: { 'kms:RequestAlias': 'alias/acme-*' } },
        },
        {
          Sid: 'KmsReadKeysBehindOrganisationAliases',
          Effect: 'Allow',
          Action: ['kms:DescribeKey', 'kms:ListResourceTags'],
          Resource: keys,
          Condition: { 'ForAnyValue:StringLike': { 'kms:ResourceAliases': 'alias/acme-*' } },
        },
        {
          Sid: 'KmsListKeysToFindALostKey',
          Effect: 'Allow',
          Action: 'kms:ListKeys',
          Resource: '*',
        },
        {
          Sid: 'KmsEcrCreateGrantOnOwnedKeys',
          Effect: 'Allow',
          Action: 'kms:CreateGrant',
          Resource: keys,
          Condition: { ...ownedKey, ...viaEcr, Bool: { 'kms:GrantIsForAWSResource': 'true' } },
        },
        {
          Sid: 'KmsEcrRetireGrantOnOwnedKeys',
          Effect: 'Allow',
          Action: 'kms:RetireGrant',
          Resource: keys,
          Condition: { ...ownedKey, ...viaEcr },
        },
        {
          Sid: 'SsmManageRepositoryParameters',
          Effect: 'Allow',
          Action: [
            'ssm:PutParameter',
            'ssm:GetParameters',
            'ssm:DeleteParameters',
            'ssm:AddTagsToResource',
            'ssm:RemoveTagsFromResource',
            'ssm:ListTagsForResource',
          ],
          Resource: partitionArn(`:ssm:${REGION}:${ACCOUNT}:parameter/ECR_*`),
        },
        { Sid: 'SsmListOwnParametersByTag', Effect: 'Allow', Action: 'ssm:DescribeParameters', Resource: '*' },
        {
          Sid: 'SsmDeleteOwnParametersUnderEarlierNames',
          Effect: 'Allow',
          Action: 'ssm:DeleteParameters',
          Resource: partitionArn(`:ssm:${REGION}:${ACCOUNT}:parameter/*`),
          Condition: { StringLike: { 'aws:ResourceTag/org-ecr:stack-id': ownStacks } },
        },
        {
          Sid: 'CloudFormationReadStackTags',
          Effect: 'Allow',
          Action: 'cloudformation:DescribeStacks',
          Resource: partitionArn(`:cloudformation:${REGION}:${ACCOUNT}:stack/*/*`),
        },
        {
          Sid: 'LogsWriteOwnLogGroup',
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: { 'Fn::GetAtt': [logicalIdOf(template, 'AWS::Logs::LogGroup'), 'Arn'] },
        },
      ]);
    });

    it('allows "*" only for kms:CreateKey when the request tags the key as ours, for the read-only kms:ListKeys, and for ssm:DescribeParameters, which lists names only', () => {
      // GIVEN
      const stack = givenStack();
      // WHEN
      givenProvider(stack);
      // THEN
      const wildcard = policyStatements(templateOf(stack)).filter((statement) => [statement.Resource].flat().includes('*'));
      // ListKeys has no resource and no condition key; it answers key ids only (finding a key whose CreateKey answer was lost).
      expect(wildcard).toEqual([
        expect.objectContaining({ Action: 'kms:CreateKey', Condition: { StringLike: { 'aws:RequestTag/org-ecr:stack-id': ownStacks } } }),
        { Sid: 'KmsListKeysToFindALostKey', Effect: 'Allow', Action: 'kms:ListKeys', Resource: '*' },
        { Sid: 'SsmListOwnParametersByTag', Effect: 'Allow', Action: 'ssm:DescribeParameters', Resource: '*' },
      ]);
    });

    it('scopes every KMS key statement by our ownership tag or our alias', () => {
      // GIVEN
      const stack = givenStack();
      // WHEN
      givenProvider(stack);
      // THEN
      const keyStatements = policyStatements(templateOf(stack)).filter((statement) => JSON.stringify(statement.Resource) === JSON.stringify(keys));
      expect(keyStatements.length).toBeGreaterThan(0);
      for (const statement of keyStatements) {
        const condition = JSON.stringify(statement.Condition ?? {});
        expect(condition).toMatch(/aws:ResourceTag\/org-ecr:stack-id|aws:RequestTag\/org-ecr:stack-id|kms:RequestAlias|kms:ResourceAliases/);
      }
    });

    it('gives the role no managed policy and lets only Lambda assume it', () => {
      // GIVEN
      const stack = givenStack();
      // WHEN
      givenProvider(stack);
      // THEN
      const template = templateOf(stack);
      template.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: { Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } }] },
        ManagedPolicyArns: Match.absent(),
      });
      template.hasResourceProperties('AWS::IAM::Policy', { Roles: [{ Ref: logicalIdOf(template, 'AWS::IAM::Role') }] });
    });

    it.each([
      ['/platform/ecr', 'parameter/platform/ecr/ECR_*'],
      ['/platform/ecr/', 'parameter/platform/ecr/ECR_*'],
      ['', 'parameter/ECR_*'],
    ])('scopes SSM to %j as %s', (parameterPrefix, resource) => {
      // GIVEN
      const stack = givenStack();
      // WHEN
      givenProvider(stack, { parameterPrefix });
      // THEN
      const ssm = policyStatements(templateOf(stack)).find((statement) => statement.Sid === 'SsmManageRepositoryParameters');
      expect(ssm?.Resource).toEqual(partitionArn(`:ssm:${REGION}:${ACCOUNT}:${resource}`));
    });

    it('lists both spellings of the SSM path when the prefix is a token', () => {
      // GIVEN
      const stack = givenStack();
      const prefix = new CfnParameter(stack, 'ParameterPrefix').valueAsString;
      // WHEN
      givenProvider(stack, { parameterPrefix: prefix });
      // THEN
      const ssm = policyStatements(templateOf(stack)).find((statement) => statement.Sid === 'SsmManageRepositoryParameters');
      const arn = (tail: string) => ({
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:ssm:${REGION}:${ACCOUNT}:parameter`, { Ref: 'ParameterPrefix' }, tail]],
      });
      expect(ssm?.Resource).toEqual([arn('/ECR_*'), arn('ECR_*')]);
    });

    it('scopes ECR and aliases to the prefix parameter when the prefix is a token', () => {
      // GIVEN
      const stack = givenStack();
      const prefix = new CfnParameter(stack, 'Prefix').valueAsString;
      // WHEN
      givenProvider(stack, { organizationPrefix: prefix });
      // THEN
      const statements = policyStatements(templateOf(stack));
      const bySid = (sid: string) => statements.find((statement) => statement.Sid === sid);
      expect(bySid('EcrManageOrganisationRepositories')?.Resource).toEqual({
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:ecr:${REGION}:${ACCOUNT}:repository/`, { Ref: 'Prefix' }, '-*']],
      });
      expect(bySid('KmsDescribeKeysByOrganisationAlias')?.Condition).toEqual({ StringLike: { 'kms:RequestAlias': { 'Fn::Join': ['', ['alias/', { Ref: 'Prefix' }, '-*']] } } });
    });
  });

  describe('cdk-nag', () => {
    it.each([
      ['a literal prefix', () => givenStack()],
      ['token settings in an environment-agnostic stack', () => givenAgnosticStack()],
    ])('reports no unacknowledged AwsSolutions finding with %s', (_case, makeStack) => {
      // GIVEN
      const stack = makeStack();
      const token = Token.isUnresolved(stack.account);
      // WHEN
      givenProvider(stack, token ? { organizationPrefix: new CfnParameter(stack, 'Prefix').valueAsString, parameterPrefix: new CfnParameter(stack, 'Path').valueAsString } : { parameterPrefix: '/platform/ecr' });
      // THEN
      expect(new AwsSolutionsChecks().validateScope(stack).violations).toEqual([]);
    });

    it('writes a reason for every acknowledged finding', () => {
      // GIVEN
      const stack = givenStack();
      // WHEN
      const provider = givenProvider(stack);
      // THEN
      const acknowledged = provider.policy.node.metadata.filter((entry) => entry.type === 'aws:cdk:acknowledged-rules');
      const reasons = acknowledged.flatMap((entry) => Object.values(entry.data as Record<string, string>));
      expect(reasons.length).toBe(8);
      for (const reason of reasons) expect(reason.length).toBeGreaterThan(80);
    });
  });

  describe('validation', () => {
    it.each<[string, Record<string, unknown>, RegExp]>([
      ['organizationPrefix', { organizationPrefix: 'Acme!' }, /`organizationPrefix` must be 1 to 64 lowercase letters.*got: "Acme!"/],
      ['organizationPrefix', { organizationPrefix: '' }, /`organizationPrefix` is required/],
      ['environmentAccounts', { environmentAccounts: { dev: '123' } }, /`environmentAccounts` must map each environment to a 12-digit account id; got for "dev": "123"/],
      ['environmentAccounts', { environmentAccounts: { 'd e v': '111111111111' } }, /`environmentAccounts` has an environment name that is not .*"d e v"/],
      ['mandatoryTags', { mandatoryTags: { 'aws:team': 'x' } }, /`mandatoryTags key` must not start with `aws:`.*"aws:team"/],
      ['mandatoryTags', { mandatoryTags: { team: 'a|b' } }, /`mandatoryTags.team` may hold only .*"a\|b"/],
      ['kmsKeyDeletionWindowDays', { kmsKeyDeletionWindowDays: 3 }, /`kmsKeyDeletionWindowDays` must be a whole number from 7 to 30; got: "3"/],
      ['parameterPrefix', { parameterPrefix: 'platform' }, /`parameterPrefix` must be empty or a path like "\/platform\/ecr".*got: "platform"/],
      ['imageTagMutability', { imageTagMutability: 'LOCKED' }, /`imageTagMutability` must be one of IMMUTABLE, IMMUTABLE_WITH_EXCLUSION, MUTABLE; got: "LOCKED"/],
      ['imageTagMutabilityExclusionFilters', { imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION' }, /`imageTagMutabilityExclusionFilters` is required when `imageTagMutability` is IMMUTABLE_WITH_EXCLUSION/],
      ['untaggedImageExpiryDays', { untaggedImageExpiryDays: 4000 }, /`untaggedImageExpiryDays` must be a whole number from 0 to 3650; got: "4000"/],
      ['memorySize', { memorySize: 64 }, /`memorySize` must be a whole number of MB from 128 to 10240; got: 64/],
    ])('fails naming `%s` and the value when it is invalid', (_prop, props, message) => {
      // GIVEN
      const stack = givenStack();
      // WHEN / THEN
      expect(() => givenProvider(stack, props)).toThrow(message);
    });

    it('fails listing every problem at once, prefixed by the construct path', () => {
      // GIVEN
      const stack = givenStack();
      // WHEN / THEN
      expect(() => givenProvider(stack, { organizationPrefix: 'A', kmsKeyDeletionWindowDays: 31, environmentAccounts: { dev: 'x' } })).toThrow(
        /^Test\/Provider: `organizationPrefix`.*; `environmentAccounts`.*; `kmsKeyDeletionWindowDays`/,
      );
    });
  });
});
