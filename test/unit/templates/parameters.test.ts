/**
 * The shipped templates' parameter constraints say what the handler's rules say, so
 * CloudFormation (or the Service Catalog form) refuses at once what the provider would refuse
 * minutes later. Where a pattern is stricter than the rule (ASCII only), it never accepts
 * what the rule refuses.
 */
import fc from 'fast-check';
import { Limits, Setting } from '../../../handler/src/contract';
import { InvalidSettingsError } from '../../../handler/src/errors';
import { checkImagesRetained, checkNamePart, checkTagKey, checkTagValue } from '../../../handler/src/props/rules';
import { parseSettings } from '../../../handler/src/props/settings';
import { checkOrganizationalUnitPaths } from '../../../handler/src/props/sharing';
import { absolute, loadTemplate } from '../../helpers/templates';

type Parameter = { AllowedPattern?: string; MinLength?: number; MaxLength?: number; MinValue?: number; MaxValue?: number; Default?: unknown };

const parameterOf = (file: string, name: string): Parameter => {
  const parameter = loadTemplate(absolute(file)).Parameters?.[name];
  if (parameter === undefined) throw new Error(`${file} has no parameter ${name}`);
  return parameter as Parameter;
};

/** What CloudFormation checks for a String parameter: the pattern over the whole value, and the lengths. */
const accepts = (parameter: Parameter, value: string): boolean =>
  (parameter.AllowedPattern === undefined || new RegExp(parameter.AllowedPattern).test(value)) &&
  value.length >= (parameter.MinLength ?? 0) &&
  value.length <= (parameter.MaxLength ?? Number.MAX_SAFE_INTEGER);

const settingAccepted = (setting: string, value: string): boolean => {
  try {
    parseSettings({ [Setting.OrganizationPrefix]: 'acme', [setting]: value });
    return true;
  } catch (error) {
    if (error instanceof InvalidSettingsError) return false;
    throw error;
  }
};

const PRODUCT = 'templates/service-catalog-product.yaml';
const PROVIDER = 'templates/provider.yaml';
const printableAscii = fc.string({ unit: fc.constantFrom(...Array.from({ length: 95 }, (_unused, index) => String.fromCharCode(32 + index))), maxLength: 300 });

describe('the Service Catalog product parameters', () => {
  it('accepts an ImagesRetained number exactly when the provider does, and empty for no lifecycle policy', () => {
    // GIVEN
    const parameter = parameterOf(PRODUCT, 'ImagesRetained');
    // WHEN / THEN
    fc.assert(fc.property(fc.integer({ min: -10, max: Limits.imagesRetainedMax + 10 }), (n) => accepts(parameter, String(n)) === checkImagesRetained('ImagesRetained', String(n)).ok));
    expect(accepts(parameter, '')).toBe(true);
    expect(accepts(parameter, 'ten')).toBe(false);
  });

  it.each(['ApplicationName', 'RepositoryBaseName'])('accepts a printable %s exactly when the provider does', (name) => {
    // GIVEN
    const parameter = parameterOf(PRODUCT, name);
    // WHEN / THEN
    fc.assert(fc.property(printableAscii, (value) => accepts(parameter, value) === checkNamePart(name, value).ok));
  });

  it.each([1, 2, 3])('never accepts a tag %i key or value the provider refuses', (n) => {
    // GIVEN
    const key = parameterOf(PRODUCT, `TagKey${n}`);
    const value = parameterOf(PRODUCT, `TagValue${n}`);
    // WHEN / THEN
    fc.assert(
      fc.property(printableAscii, (text) => {
        if (text !== '' && accepts(key, text)) expect(checkTagKey('Key', text).ok).toBe(true);
        if (accepts(value, text)) expect(checkTagValue('Value', text).ok).toBe(true);
      }),
    );
  });

  it('fails a tag key reserved for AWS or the provider, in any case', () => {
    // GIVEN
    const key = parameterOf(PRODUCT, 'TagKey1');
    // WHEN
    const verdicts = ['aws:cloudformation:stack-name', 'AWS:x', 'org-ecr:stack-id', 'Org-Ecr:x'].map((text) => accepts(key, text));
    // THEN
    expect(verdicts).toEqual([false, false, false, false]);
  });
});

describe('the provider template parameters', () => {
  it('accepts an OrganizationPrefix exactly when the provider does', () => {
    // GIVEN
    const parameter = parameterOf(PROVIDER, 'OrganizationPrefix');
    const prefixLike = fc.string({ unit: fc.constantFrom('a', 'b', 'z', '0', '9', '-', 'A', '_', ' '), maxLength: Limits.organizationPrefixMaxLength + 3 });
    // WHEN / THEN
    fc.assert(fc.property(prefixLike, (value) => value.trim() !== value || accepts(parameter, value) === settingAccepted(Setting.OrganizationPrefix, value)));
  });

  it('accepts any EnvironmentAccounts object the provider accepts, written as JSON', () => {
    // GIVEN
    const parameter = parameterOf(PROVIDER, 'EnvironmentAccounts');
    const name = fc.string({ unit: fc.constantFrom('a', 'Z', '0', '.', '_', '-'), minLength: 1, maxLength: 64 });
    const account = fc.stringMatching(/^[0-9]{12}$/);
    // WHEN / THEN
    fc.assert(
      fc.property(fc.dictionary(name, account, { maxKeys: 5 }), fc.boolean(), (accounts, pretty) => {
        const json = JSON.stringify(accounts, null, pretty ? 2 : undefined);
        expect(settingAccepted(Setting.EnvironmentAccounts, json)).toBe(true);
        expect(accepts(parameter, json)).toBe(true);
      }),
    );
  });

  it.each([
    ['a list', '["111111111111"]'],
    ['a short account id', '{"dev":"1111"}'],
    ['an account id as a number', '{"dev":111111111111}'],
    ['a bad environment name', '{"d v":"111111111111"}'],
    ['no JSON', 'dev=111111111111'],
  ])('fails EnvironmentAccounts with %s, as the provider does', (_case, value) => {
    // GIVEN
    const parameter = parameterOf(PROVIDER, 'EnvironmentAccounts');
    // WHEN
    const verdicts = [accepts(parameter, value), settingAccepted(Setting.EnvironmentAccounts, value)];
    // THEN
    expect(verdicts).toEqual([false, false]);
  });

  it('accepts any MandatoryTags object of valid tags, written as JSON', () => {
    // GIVEN
    const parameter = parameterOf(PROVIDER, 'MandatoryTags');
    const key = fc.string({ unit: fc.constantFrom('c', 'C', '1', ' ', '-', ':', '/', '@'), minLength: 1, maxLength: Limits.tagKeyMax }).filter((text) => checkTagKey('key', text).ok);
    const value = fc.string({ unit: fc.constantFrom('v', '2', ' ', '+', '='), maxLength: Limits.tagValueMax });
    // WHEN / THEN
    fc.assert(
      fc.property(fc.dictionary(key, value, { maxKeys: 4 }), (tags) => {
        const json = JSON.stringify(tags);
        expect(settingAccepted(Setting.MandatoryTags, json)).toBe(true);
        expect(accepts(parameter, json)).toBe(true);
      }),
    );
  });

  it.each([
    ['', true],
    ['/platform/ecr', true],
    ['/platform/ecr/', true],
    ['/Platform/ECR-1.2_x', true],
    [`/${Array.from({ length: 14 }, () => 'a').join('/')}`, true],
    [`/${Array.from({ length: 15 }, () => 'a').join('/')}`, false],
    ['platform/ecr', false],
    ['/aws/ecr', false],
    ['/SSM', false],
    ['//ecr', false],
    ['/plat form', false],
  ])('decides ParameterPrefix %j as the provider does (%s)', (value, expected) => {
    // GIVEN
    const parameter = parameterOf(PROVIDER, 'ParameterPrefix');
    // WHEN
    const verdicts = [accepts(parameter, value), settingAccepted(Setting.ParameterPrefix, value)];
    // THEN
    expect(verdicts).toEqual([expected, expected]);
  });

  it('bounds KmsKeyDeletionWindowDays as the contract does', () => {
    // GIVEN
    const parameter = parameterOf(PROVIDER, 'KmsKeyDeletionWindowDays');
    // WHEN
    const bounds = [parameter.MinValue, parameter.MaxValue, parameter.Default];
    // THEN
    expect(bounds).toEqual([Limits.deletionWindowMin, Limits.deletionWindowMax, 30]);
  });

  it('leaves room in the code bucket name for the longest Region name', () => {
    // GIVEN
    const parameter = parameterOf(PROVIDER, 'CodeBucketPrefix');
    // WHEN
    const longest = `${'a'.repeat(parameter.MaxLength ?? 0)}-ap-southeast-5`;
    // THEN
    expect(accepts(parameter, 'a'.repeat(parameter.MaxLength ?? 0))).toBe(true);
    expect(longest.length).toBeLessThanOrEqual(63);
  });
});

describe('the organisation sharing parameters', () => {
  const hex = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-_A/'.split('')), minLength: min, maxLength: max });
  /** OU paths as people write them, valid or slightly off (short ids, capitals, a missing root). */
  const path = fc
    .record({
      organization: fc.oneof(hex(8, 12), fc.constant('a1b2c3d4e5')),
      root: fc.oneof(hex(3, 5), fc.constant('ab12')),
      units: fc.array(fc.tuple(fc.oneof(hex(3, 5), fc.constant('ab12')), fc.oneof(hex(7, 9), fc.constant('11111111'))), { maxLength: 3 }),
      slash: fc.boolean(),
    })
    .map(({ organization, root, units, slash }) => `o-${organization}/r-${root}${units.map(([a, b]) => `/ou-${a}-${b}`).join('')}${slash ? '/' : ''}`);
  const list = fc.array(path, { minLength: 1, maxLength: 5 }).chain((paths) => fc.constantFrom(', ', ',').map((separator) => paths.join(separator)));

  it.each([PRODUCT, 'templates/consumer-example.yaml'])('never lets %s accept ShareWithOrganizationalUnitPaths the provider refuses, and accepts well-formed ones', (file) => {
    // GIVEN
    const parameter = parameterOf(file, 'ShareWithOrganizationalUnitPaths');
    // WHEN / THEN
    fc.assert(fc.property(list, (value) => !accepts(parameter, value) || checkOrganizationalUnitPaths('ShareWithOrganizationalUnitPaths', value).ok));
    expect(accepts(parameter, '')).toBe(true);
    expect(accepts(parameter, 'o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/, o-a1b2c3d4e5/r-ab12')).toBe(true);
    expect(accepts(parameter, 'ou-ab12-11111111')).toBe(false);
  });

  it('accepts an OrganizationId exactly when the provider does', () => {
    // GIVEN
    const parameter = parameterOf(PROVIDER, 'OrganizationId');
    // WHEN / THEN
    // The provider trims surrounding spaces; the parameter refuses them (stricter, never looser).
    fc.assert(
      fc.property(fc.oneof(hex(0, 40).map((id) => `o-${id}`), printableAscii), (value) =>
        value.trim() !== value ? !accepts(parameter, value) : accepts(parameter, value) === settingAccepted(Setting.OrganizationId, value),
      ),
    );
    expect(accepts(parameter, ' ')).toBe(false);
    expect(accepts(parameter, '')).toBe(true);
  });
});
