import { InvalidPropertiesError } from '../../../handler/src/errors';
import { parseProperties } from '../../../handler/src/props/properties';
import { givenProperties } from '../../helpers/given';

const ORG_TAGS = { 'cost-center': 'cc-42' };

function problemsOf(tags: unknown, organisationTags: Record<string, string> = ORG_TAGS): readonly string[] {
  try {
    parseProperties(givenProperties({ Tags: tags }), organisationTags);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidPropertiesError);
    return (error as InvalidPropertiesError).problems;
  }
  throw new Error(`expected Tags ${JSON.stringify(tags)} to be rejected`);
}

function manyTags(count: number): { Key: string; Value: string }[] {
  return Array.from({ length: count }, (_, index) => ({ Key: `tag-${index}`, Value: `value-${index}` }));
}

describe('parseProperties Tags', () => {
  it('reads a list of {Key, Value} into a map when every tag is valid', () => {
    const spec = parseProperties(givenProperties({ Tags: [{ Key: 'team', Value: 'payments' }, { Key: 'tier', Value: '' }] }), ORG_TAGS);
    expect(spec.tags).toEqual({ team: 'payments', tier: '' });
  });

  it('accepts an organisation tag when the consumer repeats it with the same value', () => {
    const spec = parseProperties(givenProperties({ Tags: [{ Key: 'cost-center', Value: 'cc-42' }] }), ORG_TAGS);
    expect(spec.tags).toEqual({ 'cost-center': 'cc-42' });
  });

  it('accepts the most tags AWS allows when the organisation and provider tags are counted', () => {
    // 50 per resource = 1 organisation tag + 3 ownership tags + 46 of the consumer's
    expect(parseProperties(givenProperties({ Tags: manyTags(46) }), ORG_TAGS).tags).toHaveProperty('tag-45');
  });

  // Each row: what is wrong, Tags as sent, fragments the one problem must hold.
  const cases: [string, unknown, string[]][] = [
    ['a string', 'team=payments', ['`Tags` must be a list of {Key, Value}', 'got: "team=payments"']],
    ['a map', { team: 'payments' }, ['`Tags` must be a list of {Key, Value}', 'got: {"team":"payments"}']],
    ['an item that is a string', ['team'], ['`Tags[0]` must be an object {Key, Value}']],
    ['an item that is a list', [['team', 'payments']], ['`Tags[0]` must be an object {Key, Value}']],
    ['an item with an extra field', [{ Key: 'team', Value: 'x', Propagate: 'true' }], ['`Tags[0]` must have only `Key` and `Value`', 'Propagate']],
    ['an empty key', [{ Key: '', Value: 'x' }], ['`Tags[0].Key` must be a tag key of 1 to 128 characters', 'got: ""']],
    ['a missing key', [{ Value: 'x' }], ['`Tags[0].Key` must be a tag key of 1 to 128 characters', 'got: undefined']],
    ['a key of 129 characters', [{ Key: 'k'.repeat(129), Value: 'x' }], ['`Tags[0].Key` must be a tag key of 1 to 128 characters']],
    ['a key with a forbidden character', [{ Key: 'team#1', Value: 'x' }], ['`Tags[0].Key` may hold only letters, digits, spaces', 'got: "team#1"']],
    ['a value that is a number', [{ Key: 'team', Value: 7 }], ['`Tags[0].Value` must be a string of at most 256 characters', 'got: 7']],
    ['a value of 257 characters', [{ Key: 'team', Value: 'v'.repeat(257) }], ['`Tags[0].Value` must be a string of at most 256 characters']],
    ['a value with a forbidden character', [{ Key: 'team', Value: 'a;b' }], ['`Tags[0].Value` may hold only letters', 'got: "a;b"']],
    ['the reserved prefix aws:', [{ Key: 'aws:cloudformation:stack-name', Value: 'x' }], ['`Tags[0].Key` must not start with `aws:` (reserved for AWS)', 'got: "aws:cloudformation:stack-name"']],
    ['the reserved prefix AWS: in capitals', [{ Key: 'AWS:team', Value: 'x' }], ['must not start with `aws:`', 'got: "AWS:team"']],
    ['the provider prefix org-ecr:', [{ Key: 'org-ecr:stack-id', Value: 'x' }], ['`Tags[0].Key` must not start with `org-ecr:` (reserved for the provider)', 'got: "org-ecr:stack-id"']],
    ['a repeated key', [{ Key: 'team', Value: 'a' }, { Key: 'team', Value: 'b' }], ['`Tags[1].Key` repeats the key "team"; each key may appear once']],
    ['an organisation tag with another value', [{ Key: 'cost-center', Value: 'cc-1' }], ['`Tags[0]` cannot override the organisation tag "cost-center" (set to "cc-42" by the platform team); remove it']],
    ['too many tags', manyTags(47), ['`Tags` gives too many tags', "organisation's 1", "provider's 3", 'the total 51 exceeds AWS\'s 50']],
  ];

  it.each(cases)('fails naming the tag, its value and the rule when Tags holds %s', (_what, tags, fragments) => {
    // WHEN the properties carry the malformed Tags
    const problems = problemsOf(tags);

    // THEN one problem says where, what and why
    expect(problems).toHaveLength(1);
    for (const fragment of fragments) expect(problems[0]).toContain(fragment);
  });

  it('fails reporting every bad tag at once when several are malformed', () => {
    const problems = problemsOf([{ Key: 'aws:x', Value: 'a' }, 'oops', { Key: 'ok', Value: 'a;b' }, { Key: 'cost-center', Value: 'other' }]);
    expect(problems).toEqual([
      expect.stringContaining('`Tags[0].Key`'),
      expect.stringContaining('`Tags[1]`'),
      expect.stringContaining('`Tags[2].Value`'),
      expect.stringContaining('`Tags[3]` cannot override'),
    ]);
  });
});
