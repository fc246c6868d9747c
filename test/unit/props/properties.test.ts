import { Property } from '../../../handler/src/contract';
import { InvalidPropertiesError } from '../../../handler/src/errors';
import { parseProperties } from '../../../handler/src/props/properties';
import { givenProperties } from '../../helpers/given';

const ORG_TAGS = { 'cost-center': 'cc-42' };

/** The problems parseProperties reports for `raw`; fails the test when it accepts them. */
function problemsOf(raw: Record<string, unknown>): readonly string[] {
  try {
    parseProperties(raw, ORG_TAGS);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidPropertiesError);
    return (error as InvalidPropertiesError).problems;
  }
  throw new Error(`expected ${JSON.stringify(raw)} to be rejected`);
}

describe('parseProperties', () => {
  describe('coercion', () => {
    it('coerces the stringified scalars CloudFormation sends when they are well formed', () => {
      // GIVEN every scalar as CloudFormation stringifies it
      const raw = givenProperties({ UseKmsKey: 'true', ImagesRetained: '10', ShareableWithAllEnvs: 'FALSE' });

      // WHEN the properties are parsed
      const spec = parseProperties(raw, ORG_TAGS);

      // THEN each has its type
      expect(spec).toEqual({ applicationName: 'shop', baseName: 'orders-api', useKmsKey: true, imagesRetained: 10, shareableWithAllEnvs: false, tags: {} });
    });

    it('accepts real booleans and numbers when a template language sends them', () => {
      const spec = parseProperties(givenProperties({ UseKmsKey: false, ImagesRetained: 3, ShareableWithAllEnvs: true }), ORG_TAGS);
      expect(spec).toMatchObject({ useKmsKey: false, imagesRetained: 3, shareableWithAllEnvs: true });
    });

    it('applies the defaults when optional properties are absent or empty', () => {
      // GIVEN only the required properties, and an empty parameter passed through as ''
      const spec = parseProperties(givenProperties({ ImagesRetained: '', UseKmsKey: '' }), ORG_TAGS);

      // THEN no key (unless the organisation requires one: marked as left unsaid), no count rule, no sharing, no tags, the organisation's mutability
      expect(spec).toEqual({ applicationName: 'shop', baseName: 'orders-api', useKmsKey: false, useKmsKeyDefaulted: true, shareableWithAllEnvs: false, tags: {} });
      expect(spec).not.toHaveProperty('imagesRetained');
      expect(spec).not.toHaveProperty('imageTagMutability');
    });

    it.each([
      ['IMMUTABLE', 'IMMUTABLE'],
      ['mutable', 'MUTABLE'],
      [' immutable_with_exclusion ', 'IMMUTABLE_WITH_EXCLUSION'],
    ])('reads ImageTagMutability %j as %s', (given, expected) => {
      const filters = expected === 'IMMUTABLE_WITH_EXCLUSION' ? { ImageTagMutabilityExclusionFilters: ['latest'] } : {};
      expect(parseProperties(givenProperties({ ImageTagMutability: given, ...filters }), ORG_TAGS).imageTagMutability).toBe(expected);
    });

    it.each([
      ['a list', ['latest', 'dev-*'], ['latest', 'dev-*']],
      ['a comma-separated string (a template parameter)', 'latest, dev-*', ['latest', 'dev-*']],
      ['a list with a repeat', ['latest', 'latest'], ['latest']],
    ])('reads the exclusion filters from %s', (_case, given, expected) => {
      const spec = parseProperties(givenProperties({ ImageTagMutability: 'IMMUTABLE_WITH_EXCLUSION', ImageTagMutabilityExclusionFilters: given }), ORG_TAGS);
      expect(spec.exclusionFilters).toEqual(expected);
    });
  });

  describe('tag mutability problems', () => {
    it.each([
      [{ ImageTagMutability: 'READONLY' }, '`ImageTagMutability` must be one of IMMUTABLE, IMMUTABLE_WITH_EXCLUSION, MUTABLE; got: "READONLY"'],
      [{ ImageTagMutability: 'IMMUTABLE_WITH_EXCLUSION', ImageTagMutabilityExclusionFilters: ['a', 'b', 'c', 'd', 'e', 'f'] }, '`ImageTagMutabilityExclusionFilters` must hold 1 to 5 filters'],
      [{ ImageTagMutability: 'IMMUTABLE_WITH_EXCLUSION', ImageTagMutabilityExclusionFilters: ['release/1'] }, '`ImageTagMutabilityExclusionFilters` must hold 1 to 5 filters of up to 128 letters, digits, \'.\', \'_\', \'-\' or the wildcard \'*\'; got: "release/1"'],
      [{ ImageTagMutability: 'IMMUTABLE', ImageTagMutabilityExclusionFilters: ['latest'] }, '`ImageTagMutabilityExclusionFilters` applies only with `ImageTagMutability`: IMMUTABLE_WITH_EXCLUSION; got ImageTagMutability: IMMUTABLE'],
      [{ ImageTagMutabilityExclusionFilters: ['latest'] }, "`ImageTagMutabilityExclusionFilters` applies only with `ImageTagMutability`: IMMUTABLE_WITH_EXCLUSION; got ImageTagMutability: the organisation's default"],
    ])('fails naming the property, the value and what is allowed for %j', (properties, message) => {
      expect(problemsOf(givenProperties(properties)).join('; ')).toContain(message);
    });

    it('ignores ServiceToken and ServiceTimeout when CloudFormation passes them along', () => {
      const spec = parseProperties(givenProperties({ ServiceToken: 'arn:aws:lambda:eu-west-1:111111111111:function:p', ServiceTimeout: '600' }), ORG_TAGS);
      expect(spec.applicationName).toBe('shop');
    });

    it('treats properties as absent when CloudFormation sends none', () => {
      expect(() => parseProperties(undefined, ORG_TAGS)).toThrow(InvalidPropertiesError);
    });
  });

  describe('malformed properties', () => {
    // Each row: property, value as sent, the fragments the message must hold (rule and value).
    const cases: [string, string, unknown, string[]][] = [
      [Property.ApplicationName, 'missing', undefined, ['is required', 'non-empty string', 'got: undefined']],
      [Property.ApplicationName, 'empty', '', ['is required', 'got: ""']],
      [Property.ApplicationName, 'blank', '   ', ['is required', 'got: "   "']],
      [Property.ApplicationName, 'the number 42', 42, ['is required', 'got: 42']],
      [Property.ApplicationName, '!!!', '!!!', ['at least one letter or digit', 'got: "!!!"']],
      [Property.RepositoryBaseName, 'missing', undefined, ['is required', 'got: undefined']],
      [Property.RepositoryBaseName, 'a list', ['orders'], ['is required', 'got: ["orders"]']],
      [Property.RepositoryBaseName, 'only separators', '._-', ['at least one letter or digit', 'got: "._-"']],
      [Property.RepositoryBaseName, 'only non-latin letters', '日本語', ['at least one letter or digit', 'got: "日本語"']],
      [Property.UseKmsKey, 'yes', 'yes', ['must be true or false', 'got: "yes"']],
      [Property.UseKmsKey, '1', '1', ['must be true or false', 'got: "1"']],
      [Property.UseKmsKey, 'the number 1', 1, ['must be true or false', 'got: 1']],
      [Property.ShareableWithAllEnvs, 'yes', 'yes', ['must be true or false', 'got: "yes"']],
      [Property.ShareableWithAllEnvs, 'an object', { value: true }, ['must be true or false', 'got: {"value":true}']],
      [Property.ImagesRetained, '10.5', '10.5', ['must be a whole number from 1 to 10000', 'got: "10.5"']],
      [Property.ImagesRetained, 'ten', 'ten', ['must be a whole number from 1 to 10000', 'got: "ten"']],
      [Property.ImagesRetained, '0', '0', ['must be a whole number from 1 to 10000', 'got: "0"']],
      [Property.ImagesRetained, '10001', '10001', ['must be a whole number from 1 to 10000', 'got: "10001"']],
      [Property.ImagesRetained, '-3', '-3', ['must be a whole number from 1 to 10000', 'got: "-3"']],
      [Property.ImagesRetained, 'the number 2.5', 2.5, ['must be a whole number from 1 to 10000', 'got: 2.5']],
      [Property.ImagesRetained, 'yes', 'yes', ['must be a whole number from 1 to 10000', 'got: "yes"']],
    ];

    it.each(cases)('fails naming %s, its value and the rule when it is %s', (property, _label, value, fragments) => {
      // GIVEN otherwise valid properties with one malformed value
      const raw = givenProperties({ [property]: value });
      if (value === undefined) delete raw[property];

      // WHEN they are parsed
      const problems = problemsOf(raw);

      // THEN exactly one problem, naming the property as the author wrote it
      expect(problems).toHaveLength(1);
      expect(problems[0]).toContain(`\`${property}\``);
      for (const fragment of fragments) expect(problems[0]).toContain(fragment);
    });

    it('fails listing the known properties when an unknown one is given', () => {
      const problems = problemsOf(givenProperties({ RepositoryName: 'custom', Encrypt: 'true' }));
      expect(problems).toEqual([
        'Unknown properties `RepositoryName`, `Encrypt`; the known properties are ApplicationName, RepositoryBaseName, UseKmsKey, ImagesRetained, ShareableWithAllEnvs, ShareWithOrganization, ShareWithOrganizationalUnitPaths, LambdaPullFromEnvs, Tags, ImageTagMutability, ImageTagMutabilityExclusionFilters, RetainOnDelete',
      ]);
    });

    it('fails naming the single unknown property when there is one', () => {
      expect(problemsOf(givenProperties({ Foo: 'bar' }))[0]).toMatch(/^Unknown property `Foo`; the known properties are ApplicationName, /);
    });

    it('fails reporting every problem at once when many properties are malformed', () => {
      // GIVEN one problem in every property, plus an unknown one
      const raw = {
        ApplicationName: '',
        RepositoryBaseName: '***',
        UseKmsKey: 'yes',
        ImagesRetained: 'ten',
        ShareableWithAllEnvs: 'maybe',
        Tags: 'team=payments',
        ImageTagMutability: 'FROZEN',
        ImageTagMutabilityExclusionFilters: [],
        RetainOnDelete: 'keep',
        ShareWithOrganization: 'everyone',
        ShareWithOrganizationalUnitPaths: 'ou-ab12-11111111',
        LambdaPullFromEnvs: 1,
        Colour: 'blue',
      };

      // WHEN they are parsed
      let error: unknown;
      try {
        parseProperties(raw, ORG_TAGS);
      } catch (caught) {
        error = caught;
      }

      // THEN one error lists all thirteen, and its message holds each
      expect(error).toBeInstanceOf(InvalidPropertiesError);
      const { problems, message } = error as InvalidPropertiesError;
      expect(problems).toHaveLength(13);
      for (const name of ['Colour', ...Object.values(Property)]) expect(message).toContain(`\`${name}\``);
    });
  });
});
