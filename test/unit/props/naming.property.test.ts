import fc from 'fast-check';
import { Limits } from '../../../handler/src/contract';
import { checkNamePart, keyAliasName, parameterStem, REPOSITORY_NAME_PATTERN, repositoryName, sanitizeSegment } from '../../../handler/src/props/rules';

/** Organisation prefixes the settings accept. */
const prefix = fc.stringMatching(/^[a-z][a-z0-9]{0,8}(?:-[a-z0-9]{1,4}){0,3}$/);

/** Any text: full unicode, ASCII with separators, or long runs that force the cut. */
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: 'grapheme', maxLength: 80 }),
  fc.stringMatching(/^[A-Za-z0-9 ._\-@/!é]{1,256}$/),
);

/** A name part the properties accept: what a consumer may write. */
const namePart = anyText.filter((text) => checkNamePart('Name', text).ok);

describe('repositoryName (properties)', () => {
  it('matches ECR’s pattern with 2 to 256 characters for every accepted name part', () => {
    fc.assert(
      fc.property(prefix, namePart, namePart, (org, application, base) => {
        const name = repositoryName(org, application, base);
        expect(name).toMatch(REPOSITORY_NAME_PATTERN);
        expect(name.length).toBeGreaterThanOrEqual(Limits.repositoryNameMin);
        expect(name.length).toBeLessThanOrEqual(Limits.repositoryNameMax);
      }),
      { numRuns: 500 },
    );
  });

  it('gives distinct names when two long names differ', () => {
    // GIVEN pairs of long base names sharing a long beginning, so both are cut at the same place
    const longPair = fc
      .tuple(fc.stringMatching(/^[a-z0-9]{200,250}$/), fc.stringMatching(/^[a-z0-9._-]{1,60}$/), fc.stringMatching(/^[a-z0-9._-]{1,60}$/))
      .map(([common, left, right]) => [`${common}${left}`, `${common}${right}`] as const);

    fc.assert(
      fc.property(prefix, longPair, (org, [left, right]) => {
        fc.pre(sanitizeSegment(left) !== sanitizeSegment(right));
        expect(repositoryName(org, 'shop', left)).not.toBe(repositoryName(org, 'shop', right));
      }),
      { numRuns: 300 },
    );
  });
});

describe('keyAliasName (properties)', () => {
  it('is a valid customer alias for every repository name', () => {
    fc.assert(
      fc.property(prefix, namePart, namePart, (org, application, base) => {
        const alias = keyAliasName(repositoryName(org, application, base));
        expect(alias).toMatch(/^alias\/[a-zA-Z0-9:/_-]+$/);
        expect(alias.length).toBeLessThanOrEqual(256);
        expect(alias.startsWith('alias/aws/')).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('gives distinct aliases to distinct repository names', () => {
    const name = fc.stringMatching(/^[a-z][a-z0-9._-]{0,40}[a-z0-9]$/);
    fc.assert(
      fc.property(name, name, (left, right) => {
        fc.pre(left !== right);
        expect(keyAliasName(left)).not.toBe(keyAliasName(right));
      }),
      { numRuns: 500 },
    );
  });
});

describe('parameterStem (properties)', () => {
  it('is ECR_ followed by A-Z, 0-9 and _ only, one character per input character', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9 ._\-]{1,100}$/), (base) => {
        const stem = parameterStem(base);
        expect(stem).toMatch(/^ECR_[A-Z0-9_]+$/);
        expect(stem).toHaveLength(4 + base.length);
      }),
    );
  });
});
