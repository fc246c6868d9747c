import { App } from 'aws-cdk-lib';
import { ApplicationHelper } from '../../../construct/application-helper';
import { ACCOUNT, givenContext, REGION } from './given';

function givenHelper(context: Record<string, unknown>, environmentName?: string): ApplicationHelper {
  return new ApplicationHelper(new App({ context }), environmentName === undefined ? {} : { environmentName });
}

describe('ApplicationHelper', () => {
  it('reads the organisation, the application and the chosen environment when given a cdk.json context', () => {
    // GIVEN
    const context = givenContext();
    // WHEN
    const helper = givenHelper(context);
    // THEN
    expect(helper.organizationPrefix).toBe('acme');
    expect(helper.applicationName).toBe('shop');
    expect(helper.environmentName).toBe('dev');
    expect(helper.account).toBe(ACCOUNT);
    expect(helper.region).toBe(REGION);
    expect(helper.environment).toEqual({ account: ACCOUNT, region: REGION });
  });

  it('chooses the environment named by the env context value (-c env=NAME)', () => {
    // GIVEN
    const context = givenContext({ env: 'prod' });
    // WHEN
    const helper = givenHelper(context);
    // THEN
    expect(helper.environmentName).toBe('prod');
    expect(helper.environment).toEqual({ account: '222222222222', region: 'eu-central-1' });
  });

  it('chooses the only environment when the context names none (no -c env=)', () => {
    // GIVEN
    const context = givenContext({ env: undefined, environments: { prod: { account: '222222222222', region: 'eu-central-1' } } });
    // WHEN
    const helper = givenHelper(context);
    // THEN
    expect(helper.environmentName).toBe('prod');
    expect(helper.environment).toEqual({ account: '222222222222', region: 'eu-central-1' });
  });

  it('still follows -c env= when there is only one environment', () => {
    // GIVEN
    const context = givenContext({ env: 'qa', environments: { prod: { account: '222222222222', region: 'eu-central-1' } } });
    // WHEN / THEN
    expect(() => givenHelper(context)).toThrow(/`env` names an environment the cdk.json context does not define: "qa"; choose one of: prod/);
  });

  it('chooses the environment given in props over the context', () => {
    // GIVEN
    const context = givenContext({ env: 'dev' });
    // WHEN
    const helper = givenHelper(context, 'prod');
    // THEN
    expect(helper.environmentName).toBe('prod');
  });

  it('maps every environment to its account for the provider', () => {
    // GIVEN
    const helper = givenHelper(givenContext());
    // WHEN
    const accounts = helper.environmentAccounts();
    // THEN
    expect(accounts).toEqual({ dev: ACCOUNT, prod: '222222222222' });
  });

  it("returns the chosen environment's configuration for a key in the seed's shape", () => {
    // GIVEN
    const helper = givenHelper(givenContext());
    // WHEN
    const config = helper.getFromEnv('ecr');
    // THEN
    expect(config).toEqual({ repository_name: { use_kms_key: true, images_retained: 10, shareable_with_all_envs: true } });
  });

  it("fails naming the environment and its keys when the key is not in the environment's configuration", () => {
    // GIVEN
    const helper = givenHelper(givenContext());
    // WHEN / THEN
    expect(() => helper.getFromEnv('secret_name')).toThrow('`environments.dev.config` has no key "secret_name"; it has: ecr');
  });

  it('fails saying "nothing" when the environment has no configuration', () => {
    // GIVEN
    const helper = givenHelper(givenContext({ env: 'prod' }));
    // WHEN / THEN
    expect(() => helper.getFromEnv('ecr')).toThrow('`environments.prod.config` has no key "ecr"; it has: nothing');
  });

  describe('validation', () => {
    const dev = { account: ACCOUNT, region: REGION };
    it.each<[string, Record<string, unknown>, RegExp]>([
      ['organizationPrefix missing', { organizationPrefix: undefined }, /`organizationPrefix` must be set in the cdk.json context.*got: undefined/],
      ['organizationPrefix invalid', { organizationPrefix: 'ACME' }, /`organizationPrefix` must be 1 to 64 lowercase letters.*got: "ACME"/],
      ['applicationName missing', { applicationName: undefined }, /`applicationName` is required.*\(cdk.json context\)/],
      ['environments missing', { environments: undefined }, /`environments` must be a non-empty object.*got: undefined/],
      ['environments empty', { environments: {} }, /`environments` must be a non-empty object.*got: \{\}/],
      ['environment not an object', { environments: { dev: 'x' } }, /`environments.dev` must be an object.*got: "x"/],
      ['unknown environment key', { environments: { dev: { ...dev, acount: '1' } } }, /`environments.dev.acount` is not a known key \(known: account, region, config\); got: "1"/],
      ['account not a string', { environments: { dev: { ...dev, account: 111111111111 } } }, /`environments.dev.account` must be a 12-digit account id in quotes; got: 111111111111/],
      ['account not 12 digits', { environments: { dev: { ...dev, account: '123' } } }, /`environments` must map each environment to a 12-digit account id; got for "dev": "123"/],
      ['region invalid', { environments: { dev: { ...dev, region: 'Europe' } } }, /`environments.dev.region` must be an AWS Region such as "eu-west-1"; got: "Europe"/],
      ['config not an object', { environments: { dev: { ...dev, config: [] } } }, /`environments.dev.config` must be an object; got: \[\]/],
      ['env missing', { env: undefined }, /`env` is not set: choose the environment with -c env=NAME \(one of: dev, prod\)/],
      ['env unknown', { env: 'qa' }, /`env` names an environment the cdk.json context does not define: "qa"; choose one of: dev, prod/],
    ])('fails naming the key and the value when %s', (_case, overrides, message) => {
      // GIVEN
      const context = givenContext(overrides);
      // WHEN / THEN
      expect(() => givenHelper(context)).toThrow(message);
    });

    it('fails listing every problem at once', () => {
      // GIVEN
      const context = givenContext({ organizationPrefix: 'A', applicationName: '', env: 'qa' });
      // WHEN / THEN
      expect(() => givenHelper(context)).toThrow(/`organizationPrefix`.*; `applicationName`.*; `env`/);
    });
  });
});
