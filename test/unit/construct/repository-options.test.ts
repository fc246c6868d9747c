import { App, CfnParameter, Duration, RemovalPolicy, type Stack, Tags, Token } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { OrgEcrRepository } from '../../../construct/repository';
import type { OrgEcrRepositoryProps } from '../../../construct/repository-props';
import { givenProvider, givenStack, templateOf } from './given';

const REQUIRED = { applicationName: 'shop', repositoryBaseName: 'orders-api' } as const;

function givenRepository(stack: Stack, props: Partial<OrgEcrRepositoryProps> = {}): OrgEcrRepository {
  return new OrgEcrRepository(stack, 'Orders', { ...REQUIRED, ...props });
}

function customResourceOf(stack: Stack): { Properties: Record<string, unknown>; DeletionPolicy?: string; UpdateReplacePolicy?: string } {
  const resources = Object.values(templateOf(stack).findResources('Custom::OrgEcrRepository'));
  expect(resources).toHaveLength(1);
  return resources[0] as { Properties: Record<string, unknown>; DeletionPolicy?: string; UpdateReplacePolicy?: string };
}

describe('OrgEcrRepository options', () => {
  describe('removalPolicy', () => {
    it("deletes by default, the seed's destroy-and-empty", () => {
      // GIVEN
      const stack = givenStack();
      // WHEN
      givenRepository(stack);
      // THEN
      expect(customResourceOf(stack)).toMatchObject({ DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
    });

    it('retains on delete and on replacement when given RETAIN', () => {
      // GIVEN
      const stack = givenStack();
      // WHEN
      givenRepository(stack, { removalPolicy: RemovalPolicy.RETAIN });
      // THEN
      expect(customResourceOf(stack)).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    });

    it('retains when applyRemovalPolicy(RETAIN) is called on the construct', () => {
      // GIVEN
      const stack = givenStack();
      const repo = givenRepository(stack);
      // WHEN
      repo.applyRemovalPolicy(RemovalPolicy.RETAIN);
      // THEN
      expect(customResourceOf(stack)).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    });

    it('fails naming the allowed policies when given SNAPSHOT', () => {
      // GIVEN
      const stack = givenStack();
      // WHEN / THEN
      expect(() => givenRepository(stack, { removalPolicy: RemovalPolicy.SNAPSHOT })).toThrow(/`removalPolicy` must be DESTROY, RETAIN or RETAIN_ON_UPDATE_OR_DELETE; got: SNAPSHOT/);
      expect(() => givenRepository(givenStack('Other')).applyRemovalPolicy(RemovalPolicy.SNAPSHOT)).toThrow(/got: SNAPSHOT/);
    });
  });

  describe('Tags.of', () => {
    it('renders tags added with Tags.of to the app into the Tags property, with the given tags, sorted by key', () => {
      // GIVEN
      const app = new App();
      const stack = givenStack('Test', app);
      givenRepository(stack, { tags: { team: 'payments' } });
      // WHEN
      Tags.of(app).add('environment', 'dev');
      // THEN
      expect(customResourceOf(stack).Properties.Tags).toEqual([
        { Key: 'environment', Value: 'dev' },
        { Key: 'team', Value: 'payments' },
      ]);
    });

    it('lets Tags.of override a given tag, as for any CDK resource', () => {
      // GIVEN
      const stack = givenStack();
      const repo = givenRepository(stack, { tags: { team: 'payments' } });
      // WHEN
      Tags.of(repo).add('team', 'orders');
      // THEN
      expect(customResourceOf(stack).Properties.Tags).toEqual([{ Key: 'team', Value: 'orders' }]);
    });

    it("keeps the organisation's mandatory tag and warns when Tags.of would override it", () => {
      // GIVEN
      const stack = givenStack();
      const provider = givenProvider(stack, { mandatoryTags: { 'cost-center': 'platform' } });
      givenRepository(stack, { provider });
      // WHEN
      Tags.of(stack).add('cost-center', 'mine');
      Tags.of(stack).add('team', 'orders');
      // THEN
      expect(customResourceOf(stack).Properties.Tags).toEqual([{ Key: 'team', Value: 'orders' }]);
      Annotations.fromStack(stack).hasWarning('/Test/Orders', Match.stringLikeRegexp('"cost-center"="mine" is not applied: the organisation\'s mandatory tag "cost-center"="platform" wins'));
    });

    it('fails the synth when Tags.of adds a tag key the provider reserves', () => {
      // GIVEN
      const stack = givenStack();
      givenRepository(stack);
      // WHEN
      Tags.of(stack).add('org-ecr:owner', 'me');
      // THEN
      expect(() => templateOf(stack)).toThrow(/`tags` key must not start with `org-ecr:`/);
    });

    it('skips the repository when Tags.of excludes its type', () => {
      // GIVEN
      const stack = givenStack();
      givenRepository(stack);
      // WHEN
      Tags.of(stack).add('environment', 'dev', { excludeResourceTypes: ['Custom::OrgEcrRepository'] });
      // THEN
      expect(customResourceOf(stack).Properties.Tags).toBeUndefined();
    });

    it('fails the synth when Tags.of adds tags to a repository whose tags are one token', () => {
      // GIVEN
      const stack = givenStack();
      givenRepository(stack, { tags: Token.asAny(new CfnParameter(stack, 'TagList').valueAsString) as unknown as Record<string, string> });
      // WHEN
      Tags.of(stack).add('environment', 'dev');
      // THEN
      expect(() => templateOf(stack)).toThrow(/`tags` is a token .*the tags Tags.of\(\.\.\.\) adds cannot be merged into it/);
    });
  });

  describe('serviceTimeout', () => {
    it.each<[string, Duration, RegExp]>([
      ['above one hour', Duration.hours(2), /`serviceTimeout` must be from 1 second to 1 hour \(CloudFormation's limit for a custom resource\); got: 2 hours/],
      ['zero', Duration.seconds(0), /`serviceTimeout` must be from 1 second to 1 hour.*got: 0 seconds/],
    ])('fails in our words when it is %s', (_case, serviceTimeout, message) => {
      // GIVEN
      const stack = givenStack();
      // WHEN / THEN
      expect(() => givenRepository(stack, { serviceTimeout })).toThrow(message);
    });

    it("fails when it is not longer than the provider's timeout", () => {
      // GIVEN
      const stack = givenStack();
      const provider = givenProvider(stack, { timeout: Duration.minutes(5) });
      // WHEN / THEN
      expect(() => givenRepository(stack, { provider, serviceTimeout: Duration.minutes(2) })).toThrow(
        /`serviceTimeout` \(2 minutes\) must be longer than the provider's timeout \(5 minutes\), or CloudFormation gives up while the provider still works; leave it unset/,
      );
    });

    it("warns when it is not longer than the default provider timeout and the provider is the account's published one", () => {
      // GIVEN
      const stack = givenStack();
      // WHEN
      givenRepository(stack, { serviceTimeout: Duration.minutes(2) });
      // THEN
      Annotations.fromStack(stack).hasWarning('/Test/Orders', Match.stringLikeRegexp('is not longer than the default provider timeout \\(300 seconds\\)'));
    });

    it("accepts one longer than the provider's timeout", () => {
      // GIVEN
      const stack = givenStack();
      const provider = givenProvider(stack, { timeout: Duration.minutes(2) });
      // WHEN
      givenRepository(stack, { provider, serviceTimeout: Duration.minutes(3) });
      // THEN
      expect(customResourceOf(stack).Properties.ServiceTimeout).toBe('180');
    });
  });
});
