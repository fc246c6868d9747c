import { App, Stack } from 'aws-cdk-lib';
import { ApplicationHelper } from '../../../construct/application-helper';
import { EcrBuilder } from '../../../construct/builder';
import { OrgEcrRepository } from '../../../construct/repository';
import { givenContext, givenProvider, logicalIdOf, templateOf } from './given';

/** The seed's usage section, line for line, on a stack built from a cdk.json-shaped context. */
function givenSeedUsage(config?: Record<string, unknown>) {
  const app = new App({ context: givenContext() });
  const appHelper = new ApplicationHelper(app);
  const stack = new Stack(app, 'Application', { env: appHelper.environment });
  const ecrConfig = config ?? appHelper.getFromEnv('ecr');
  return { appHelper, stack, ecrConfig };
}

function customResourceProperties(stack: Stack): Record<string, unknown> {
  const resources = Object.values(templateOf(stack).findResources('Custom::OrgEcrRepository'));
  expect(resources).toHaveLength(1);
  return (resources[0] as { Properties: Record<string, unknown> }).Properties;
}

describe('EcrBuilder', () => {
  it("builds the OrgEcrRepository from the seed's config when used as in the seed's usage section", () => {
    // GIVEN
    const { appHelper, stack, ecrConfig } = givenSeedUsage();
    // WHEN
    const ecrBuilder = new EcrBuilder();
    const ecrRepo = ecrBuilder.setApplicationHelper(appHelper).setBuilderConfig(ecrConfig).setEcrRepoBaseName('repository_name').build(stack);
    // THEN
    expect(ecrRepo).toBeInstanceOf(OrgEcrRepository);
    expect(ecrRepo.node.id).toBe('EcrRepository-repository_name');
    expect(customResourceProperties(stack)).toEqual({
      ServiceToken: { 'Fn::ImportValue': 'OrgEcrRepositoryServiceToken' },
      ServiceTimeout: '360',
      ApplicationName: 'shop',
      RepositoryBaseName: 'repository_name',
      UseKmsKey: true,
      ImagesRetained: 10,
      ShareableWithAllEnvs: true,
    });
  });

  it('takes the contract defaults when the entry is empty or its values are null', () => {
    // GIVEN
    const { appHelper, stack } = givenSeedUsage();
    // WHEN
    new EcrBuilder()
      .setApplicationHelper(appHelper)
      .setBuilderConfig({ api: { use_kms_key: null, images_retained: null } })
      .setEcrRepoBaseName('api')
      .build(stack, 'Api');
    // THEN
    expect(customResourceProperties(stack)).toEqual({
      ServiceToken: { 'Fn::ImportValue': 'OrgEcrRepositoryServiceToken' },
      ServiceTimeout: '360',
      ApplicationName: 'shop',
      RepositoryBaseName: 'api',
    });
  });

  it('coerces the strings "true" and "10" as the handler does', () => {
    // GIVEN
    const { appHelper, stack } = givenSeedUsage();
    // WHEN
    new EcrBuilder()
      .setApplicationHelper(appHelper)
      .setBuilderConfig({ api: { use_kms_key: 'true', images_retained: '10', shareable_with_all_envs: 'false' } })
      .setEcrRepoBaseName('api')
      .build(stack);
    // THEN
    expect(customResourceProperties(stack)).toMatchObject({ UseKmsKey: true, ImagesRetained: 10, ShareableWithAllEnvs: false });
  });

  it('passes the snake_case tag mutability keys on as the construct props', () => {
    // GIVEN
    const { appHelper, stack } = givenSeedUsage();
    // WHEN
    new EcrBuilder()
      .setApplicationHelper(appHelper)
      .setBuilderConfig({ api: { image_tag_mutability: 'immutable_with_exclusion', image_tag_mutability_exclusion_filters: ['latest'] } })
      .setEcrRepoBaseName('api')
      .build(stack);
    // THEN
    expect(customResourceProperties(stack)).toMatchObject({ ImageTagMutability: 'IMMUTABLE_WITH_EXCLUSION', ImageTagMutabilityExclusionFilters: ['latest'] });
  });

  it('uses the given provider when given one', () => {
    // GIVEN
    const { appHelper, stack, ecrConfig } = givenSeedUsage();
    const provider = givenProvider(stack);
    // WHEN
    new EcrBuilder().setApplicationHelper(appHelper).setBuilderConfig(ecrConfig).setEcrRepoBaseName('repository_name').setProvider(provider).build(stack);
    // THEN
    expect(customResourceProperties(stack).ServiceToken).toEqual({ 'Fn::GetAtt': [logicalIdOf(templateOf(stack), 'AWS::Lambda::Function'), 'Arn'] });
  });

  it('uses the given ServiceToken when given one', () => {
    // GIVEN
    const { appHelper, stack, ecrConfig } = givenSeedUsage();
    // WHEN
    new EcrBuilder().setApplicationHelper(appHelper).setBuilderConfig(ecrConfig).setEcrRepoBaseName('repository_name').setServiceToken('arn:aws:lambda:eu-west-1:111111111111:function:x').build(stack);
    // THEN
    expect(customResourceProperties(stack).ServiceToken).toBe('arn:aws:lambda:eu-west-1:111111111111:function:x');
  });

  it('fails saying why when setUsage is called', () => {
    // GIVEN
    const builder = new EcrBuilder();
    // WHEN / THEN
    expect(() => builder.setUsage('read_only')).toThrow(/EcrBuilder does not use setUsage \(got: "read_only"\): an organisation repository has one standard form/);
  });

  describe('missing pieces', () => {
    const { appHelper, ecrConfig } = givenSeedUsage();
    it.each<[string, (builder: EcrBuilder) => EcrBuilder, RegExp]>([
      ['the application helper', (b) => b.setBuilderConfig(ecrConfig).setEcrRepoBaseName('repository_name'), /missing the application helper: call setApplicationHelper\(appHelper\)$/],
      ['the builder config', (b) => b.setApplicationHelper(appHelper).setEcrRepoBaseName('repository_name'), /missing the builder config: call setBuilderConfig\(appHelper.getFromEnv\('<config key>'\)\)$/],
      ['the repository base name', (b) => b.setApplicationHelper(appHelper).setBuilderConfig(ecrConfig), /missing the repository base name: call setEcrRepoBaseName\('<key of the builder config>'\)$/],
      ['all three', (b) => b, /missing the application helper.*; the builder config.*; the repository base name/],
    ])('fails naming %s when it is missing', (_piece, configure, message) => {
      // GIVEN
      const builder = configure(new EcrBuilder());
      // WHEN / THEN
      expect(() => builder.build(new Stack())).toThrow(message);
    });
  });

  describe('config', () => {
    it.each<[string, unknown, string, RegExp]>([
      ['is not an object', [1], 'repository_name', /the builder config must be an object of repository base name to its settings; got: \[1\]/],
      ['has no entry for the base name', { other: {} }, 'repository_name', /the builder config has no entry for the base name "repository_name" given to setEcrRepoBaseName; it has: other/],
      ['has an entry that is not an object', { repository_name: true }, 'repository_name', /`repository_name` must be an object with use_kms_key, images_retained, shareable_with_all_envs, image_tag_mutability, image_tag_mutability_exclusion_filters, share_with_organization, share_with_organizational_unit_paths, lambda_pull_from_envs; got: true/],
      ['has an unknown key', { repository_name: { images_retain: 10 } }, 'repository_name', /`repository_name.images_retain` is not a known key \(known: use_kms_key, images_retained, shareable_with_all_envs, image_tag_mutability, image_tag_mutability_exclusion_filters, share_with_organization, share_with_organizational_unit_paths, lambda_pull_from_envs\); got: 10/],
      ['has a non-boolean use_kms_key', { repository_name: { use_kms_key: 'yes' } }, 'repository_name', /`repository_name.use_kms_key` must be true or false; got: "yes"/],
      ['has an unknown image_tag_mutability', { repository_name: { image_tag_mutability: 'LOCKED' } }, 'repository_name', /`repository_name.image_tag_mutability` must be one of IMMUTABLE, IMMUTABLE_WITH_EXCLUSION, MUTABLE; got: "LOCKED"/],
      ['has a zero images_retained', { repository_name: { images_retained: 0 } }, 'repository_name', /`repository_name.images_retained` must be a whole number from 1 to 10000; got: 0/],
      ['has a fractional images_retained', { repository_name: { images_retained: 1.5 } }, 'repository_name', /`repository_name.images_retained` must be a whole number from 1 to 10000; got: 1.5/],
      ['has a text images_retained', { repository_name: { images_retained: 'ten' } }, 'repository_name', /`repository_name.images_retained` must be a whole number from 1 to 10000; got: "ten"/],
      ['has a non-boolean shareable_with_all_envs', { repository_name: { shareable_with_all_envs: 1 } }, 'repository_name', /`repository_name.shareable_with_all_envs` must be true or false; got: 1/],
      ['has a base name without letters or digits', { '--': {} }, '--', /`ecrRepoBaseName` must contain at least one letter or digit \(a-z, 0-9\); got: "--"/],
    ])('fails naming the key and the value when the config %s', (_case, config, baseName, message) => {
      // GIVEN
      const { appHelper, stack } = givenSeedUsage();
      const builder = new EcrBuilder().setApplicationHelper(appHelper).setBuilderConfig(config).setEcrRepoBaseName(baseName);
      // WHEN / THEN
      expect(() => builder.build(stack)).toThrow(message);
    });

    it('fails listing every bad key at once', () => {
      // GIVEN
      const { appHelper, stack } = givenSeedUsage();
      const builder = new EcrBuilder()
        .setApplicationHelper(appHelper)
        .setBuilderConfig({ repository_name: { use_kms_key: 'no', images_retained: -1, colour: 'red' } })
        .setEcrRepoBaseName('repository_name');
      // WHEN / THEN
      expect(() => builder.build(stack)).toThrow(/`repository_name.colour` is not a known key.*; `repository_name.use_kms_key`.*; `repository_name.images_retained`/);
    });
  });
});
