import { Setting } from '../../../handler/src/contract';
import { InvalidSettingsError } from '../../../handler/src/errors';
import { parseSettings } from '../../../handler/src/props/settings';
import { DEV_ACCOUNT, givenSettingsEnv, OWNER_ACCOUNT, PROD_ACCOUNT } from '../../helpers/given';

function problemsOf(env: Record<string, string | undefined>): readonly string[] {
  try {
    parseSettings(env);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidSettingsError);
    return (error as InvalidSettingsError).problems;
  }
  throw new Error(`expected ${JSON.stringify(env)} to be rejected`);
}

describe('parseSettings', () => {
  it('applies the defaults when only the organisation prefix is set', () => {
    expect(parseSettings({ ORG_PREFIX: 'acme' })).toEqual({
      organizationPrefix: 'acme',
      environmentAccounts: {},
      mandatoryTags: {},
      keyRotation: false,
      deletionWindowDays: 30,
      parameterPrefix: '',
      imageTagMutability: 'IMMUTABLE',
      exclusionFilters: [],
      untaggedImageExpiryDays: 14,
      requireKmsKey: false,
    });
  });

  it('treats blank optional settings as unset when a template passes empty parameters', () => {
    const settings = parseSettings({
      ORG_PREFIX: ' acme ',
      ORG_ENVIRONMENT_ACCOUNTS: '',
      ORG_MANDATORY_TAGS: ' ',
      ORG_KMS_KEY_ROTATION: '',
      ORG_KMS_DELETION_WINDOW_DAYS: '',
      ORG_SSM_PARAMETER_PREFIX: '',
    });
    expect(settings).toMatchObject({ organizationPrefix: 'acme', keyRotation: false, deletionWindowDays: 30, parameterPrefix: '' });
  });

  it('reads every setting when all are well formed', () => {
    const settings = parseSettings(
      givenSettingsEnv({
        ORG_KMS_KEY_ROTATION: 'true',
        ORG_KMS_DELETION_WINDOW_DAYS: '7',
        ORG_SSM_PARAMETER_PREFIX: '/platform/ecr',
        ORG_IMAGE_TAG_MUTABILITY: 'IMMUTABLE_WITH_EXCLUSION',
        ORG_IMAGE_TAG_MUTABILITY_EXCLUSION_FILTERS: 'latest,dev-*',
        ORG_UNTAGGED_IMAGE_EXPIRY_DAYS: '30',
        ORG_REQUIRE_KMS_KEY: 'true',
      }),
    );
    expect(settings).toEqual({
      organizationPrefix: 'acme',
      environmentAccounts: { dev: DEV_ACCOUNT, prod: PROD_ACCOUNT, tools: OWNER_ACCOUNT },
      mandatoryTags: { 'cost-center': 'cc-42' },
      keyRotation: true,
      deletionWindowDays: 7,
      parameterPrefix: '/platform/ecr/',
      imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
      exclusionFilters: ['latest', 'dev-*'],
      untaggedImageExpiryDays: 30,
      requireKmsKey: true,
    });
  });

  it("switches the untagged-image rule off when ORG_UNTAGGED_IMAGE_EXPIRY_DAYS is 0 (the seed's behaviour)", () => {
    expect(parseSettings({ ORG_PREFIX: 'acme', ORG_UNTAGGED_IMAGE_EXPIRY_DAYS: '0' })).not.toHaveProperty('untaggedImageExpiryDays');
  });

  it.each([
    [{ ORG_IMAGE_TAG_MUTABILITY: 'LOCKED' }, '`ORG_IMAGE_TAG_MUTABILITY` must be one of IMMUTABLE, IMMUTABLE_WITH_EXCLUSION, MUTABLE; got: "LOCKED"'],
    [{ ORG_IMAGE_TAG_MUTABILITY: 'IMMUTABLE_WITH_EXCLUSION' }, '`ORG_IMAGE_TAG_MUTABILITY_EXCLUSION_FILTERS` is required when `ORG_IMAGE_TAG_MUTABILITY` is IMMUTABLE_WITH_EXCLUSION'],
    [{ ORG_IMAGE_TAG_MUTABILITY_EXCLUSION_FILTERS: 'a,b,c,d,e,f' }, '`ORG_IMAGE_TAG_MUTABILITY_EXCLUSION_FILTERS` must hold 1 to 5 filters'],
    [{ ORG_UNTAGGED_IMAGE_EXPIRY_DAYS: '-1' }, '`ORG_UNTAGGED_IMAGE_EXPIRY_DAYS` must be a whole number from 0 to 3650; got: "-1" (0 switches the untagged-image rule off)'],
    [{ ORG_REQUIRE_KMS_KEY: 'always' }, '`ORG_REQUIRE_KMS_KEY` must be true or false; got: "always"'],
  ])('fails naming the repository-default setting and its value for %j', (env, message) => {
    expect(() => parseSettings({ ORG_PREFIX: 'acme', ...env })).toThrow(message);
  });

  it.each([
    ['/platform/ecr', '/platform/ecr/'],
    ['/platform/ecr/', '/platform/ecr/'],
    ['/a', '/a/'],
    ['/Team_1/ecr.v2-x', '/Team_1/ecr.v2-x/'],
  ])('normalises the parameter prefix %s to end in a slash', (raw, expected) => {
    expect(parseSettings({ ORG_PREFIX: 'acme', ORG_SSM_PARAMETER_PREFIX: raw }).parameterPrefix).toBe(expected);
  });

  // Each row: setting, value, fragments the one problem must hold.
  const cases: [string, string | undefined, string[]][] = [
    [Setting.OrganizationPrefix, undefined, ['is required', 'e.g. "acme"']],
    [Setting.OrganizationPrefix, '  ', ['is required']],
    [Setting.OrganizationPrefix, 'Acme', ['lowercase letters, digits and single hyphens, starting with a letter', 'got: "Acme"']],
    [Setting.OrganizationPrefix, '1acme', ['starting with a letter', 'got: "1acme"']],
    [Setting.OrganizationPrefix, 'ac--me', ['single hyphens', 'got: "ac--me"']],
    [Setting.OrganizationPrefix, 'acme-', ['single hyphens', 'got: "acme-"']],
    [Setting.OrganizationPrefix, 'ac_me', ['got: "ac_me"']],
    [Setting.OrganizationPrefix, 'a'.repeat(65), ['1 to 64']],
    [Setting.EnvironmentAccounts, '{dev:1}', ['must be a JSON object', 'got: "{dev:1}"']],
    [Setting.EnvironmentAccounts, '["111111111111"]', ['must be a JSON object']],
    [Setting.EnvironmentAccounts, '"dev"', ['must be a JSON object']],
    [Setting.EnvironmentAccounts, '{"dev":"12345"}', ['12-digit account id', 'for "dev": "12345"']],
    [Setting.EnvironmentAccounts, '{"dev":222222222222}', ['12-digit account id', 'for "dev": 222222222222']],
    [Setting.EnvironmentAccounts, '{"dev env":"222222222222"}', ['environment name', '"dev env"']],
    [Setting.EnvironmentAccounts, '{"":"222222222222"}', ['environment name', '""']],
    [Setting.MandatoryTags, 'cost-center=cc-42', ['must be a JSON object']],
    [Setting.MandatoryTags, '{"aws:owner":"x"}', ['must not start with `aws:`', '"aws:owner"']],
    [Setting.MandatoryTags, '{"org-ecr:stack-id":"x"}', ['must not start with `org-ecr:`']],
    [Setting.MandatoryTags, '{"team":7}', ['must be a string of at most 256 characters', 'got: 7']],
    [Setting.KmsKeyRotation, 'yes', ['must be true or false', 'got: "yes"']],
    [Setting.KmsKeyDeletionWindowDays, '6', ['must be a whole number from 7 to 30', 'got: "6"']],
    [Setting.KmsKeyDeletionWindowDays, '31', ['must be a whole number from 7 to 30', 'got: "31"']],
    [Setting.KmsKeyDeletionWindowDays, 'x', ['must be a whole number from 7 to 30', 'got: "x"']],
    [Setting.KmsKeyDeletionWindowDays, '7.5', ['got: "7.5"']],
    [Setting.ParameterPrefix, 'platform/ecr', ['must be empty or a path like "/platform/ecr"', 'got: "platform/ecr"']],
    [Setting.ParameterPrefix, '/', ['got: "/"']],
    [Setting.ParameterPrefix, '/aws/x', ['not starting with "aws" or "ssm"', 'got: "/aws/x"']],
    [Setting.ParameterPrefix, '/SSM/x', ['not starting with "aws" or "ssm"', 'got: "/SSM/x"']],
    [Setting.ParameterPrefix, '/platform//ecr', ['got: "/platform//ecr"']],
    [Setting.ParameterPrefix, '/platform/ec r', ['got: "/platform/ec r"']],
    [Setting.ParameterPrefix, `/${Array.from({ length: 15 }, () => 'a').join('/')}`, ['at most 14 levels']],
  ];

  it.each(cases)('fails naming %s when it is %p', (setting, value, fragments) => {
    // GIVEN valid settings but one
    const env = givenSettingsEnv({ [setting]: value });

    // WHEN they are read
    const problems = problemsOf(env);

    // THEN one problem names the setting, the rule and the value
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(`\`${setting}`);
    for (const fragment of fragments) expect(problems[0]).toContain(fragment);
  });

  it('reads the provider role set by the provider deployment, and fails naming it when it is not a role ARN', () => {
    const role = 'arn:aws:iam::111111111111:role/path/OrgEcrProviderRole';
    expect(parseSettings({ ORG_PREFIX: 'acme', ORG_PROVIDER_ROLE_ARN: role }).providerRoleArn).toBe(role);
    expect(parseSettings({ ORG_PREFIX: 'acme' }).providerRoleArn).toBeUndefined();
    expect(() => parseSettings({ ORG_PREFIX: 'acme', ORG_PROVIDER_ROLE_ARN: 'arn:aws:iam::111111111111:user/bob' })).toThrow(
      /`ORG_PROVIDER_ROLE_ARN` must be the ARN of an IAM role.*got: "arn:aws:iam::111111111111:user\/bob"/,
    );
  });

  it('fails reporting every bad setting at once and telling who fixes them', () => {
    let error: unknown;
    try {
      parseSettings({ ORG_ENVIRONMENT_ACCOUNTS: 'nope', ORG_KMS_KEY_ROTATION: 'yes', ORG_KMS_DELETION_WINDOW_DAYS: '31', ORG_SSM_PARAMETER_PREFIX: '/aws/x' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidSettingsError);
    expect((error as InvalidSettingsError).problems).toHaveLength(5);
    expect((error as Error).message).toMatch(/^The provider's settings are invalid \(ask the platform team to fix the provider deployment\): `ORG_PREFIX` is required/);
  });
});
