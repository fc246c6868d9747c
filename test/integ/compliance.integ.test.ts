/**
 * Compliance proven against an AWS-compatible endpoint: the built bundle creates repositories
 * under the default settings and under each option, and the logic of the four AWS Config rules
 * behind Security Hub's ECR controls (config-rules.ts) judges what it created. Each option also
 * goes through an in-place update both ways, a rollback (the properties swapped) and a delete.
 * Without an endpoint the suite is skipped, and says so.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PutLifecyclePolicyCommand } from '@aws-sdk/client-ecr';
import { CONFIG_RULES, type ConfigRuleName, evaluate } from './config-rules';
import { ecr, endpoint, type Properties, readRepository, ResponseServer, runBundle, SETTINGS, Stack, unique } from './harness';

if (!endpoint) {
  console.warn('Compliance suite SKIPPED: set AWS_ENDPOINT_URL to an AWS-compatible endpoint (e.g. `moto_server -p 5000` and AWS_ENDPOINT_URL=http://127.0.0.1:5000).');
}
const describeWithEndpoint = endpoint ? describe : describe.skip;

jest.setTimeout(120_000);

const ALL_RULES = Object.keys(CONFIG_RULES) as ConfigRuleName[];
const verdicts = (compliant: readonly ConfigRuleName[]) => Object.fromEntries(ALL_RULES.map((rule) => [rule, compliant.includes(rule) ? 'COMPLIANT' : 'NON_COMPLIANT']));
const SCANNING = 'ecr-private-image-scanning-enabled';
const IMMUTABILITY = 'ecr-private-tag-immutability-enabled';
const LIFECYCLE = 'ecr-private-lifecycle-policy-configured';
const CMK = 'ecr-repository-cmk-encryption-enabled';

describeWithEndpoint('compliance of the repositories the provider creates (AWS Config rule logic)', () => {
  const responses = new ResponseServer();
  beforeAll(() => responses.start());
  afterAll(() => responses.stop());

  /** Creates a repository with `properties` under `settings`; returns its name and the stack. */
  async function created(properties: Properties, settings: Record<string, string> = SETTINGS) {
    const stack = new Stack(responses);
    const [response] = await runBundle(responses, [stack.create(properties)], settings);
    expect(response).toMatchObject({ Status: 'SUCCESS' });
    return { stack, name: response!.PhysicalResourceId };
  }
  const required = () => ({ ApplicationName: 'shop', RepositoryBaseName: unique('compliance') });

  it('passes ECR.1, ECR.2 and ECR.3 with only ApplicationName and RepositoryBaseName under the default settings', async () => {
    const { name } = await created(required());
    expect(await evaluate(name)).toEqual(verdicts([SCANNING, IMMUTABILITY, LIFECYCLE]));
  });

  it('passes all four rules when the organisation requires a customer key (ORG_REQUIRE_KMS_KEY)', async () => {
    const { name } = await created(required(), { ...SETTINGS, ORG_REQUIRE_KMS_KEY: 'true' });
    expect(await evaluate(name)).toEqual(verdicts(ALL_RULES));
  });

  it('passes all four rules with UseKmsKey under the default settings', async () => {
    const { name } = await created({ ...required(), UseKmsKey: 'true' });
    expect(await evaluate(name)).toEqual(verdicts(ALL_RULES));
  });

  it.each([
    ['ImageTagMutability MUTABLE', { ImageTagMutability: 'MUTABLE' }, {}],
    ['ImageTagMutability IMMUTABLE_WITH_EXCLUSION (not documented by AWS as passing)', { ImageTagMutability: 'IMMUTABLE_WITH_EXCLUSION', ImageTagMutabilityExclusionFilters: ['latest'] }, {}],
    ['the organisation default MUTABLE', {}, { ORG_IMAGE_TAG_MUTABILITY: 'MUTABLE' }],
  ])('fails ECR.2 only when %s relaxes tag immutability', async (_case, properties, settings) => {
    const { name } = await created({ ...required(), ...properties }, { ...SETTINGS, ...settings });
    expect(await evaluate(name)).toEqual(verdicts([SCANNING, LIFECYCLE]));
  });

  it("fails ECR.3 only when the organisation switches untagged expiry off (the seed's behaviour) and ImagesRetained is unset", async () => {
    const seed = { ...SETTINGS, ORG_UNTAGGED_IMAGE_EXPIRY_DAYS: '0' };
    const bare = await created(required(), seed);
    const retained = await created({ ...required(), ImagesRetained: '10' }, seed);
    expect(await evaluate(bare.name)).toEqual(verdicts([SCANNING, IMMUTABILITY]));
    expect(await evaluate(retained.name)).toEqual(verdicts([SCANNING, IMMUTABILITY, LIFECYCLE]));
  });

  it('changes tag mutability in place both ways, rolls back and deletes, with ECR.2 following', async () => {
    // GIVEN an IMMUTABLE_WITH_EXCLUSION repository
    const excluding = { ...required(), ImageTagMutability: 'IMMUTABLE_WITH_EXCLUSION', ImageTagMutabilityExclusionFilters: 'latest,dev-*' };
    const immutable = { ...excluding, ImageTagMutability: 'IMMUTABLE', ImageTagMutabilityExclusionFilters: '' };
    const { stack, name } = await created(excluding);
    expect((await readRepository(name))?.repository).toMatchObject({
      imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
      imageTagMutabilityExclusionFilters: [
        { filterType: 'WILDCARD', filter: 'latest' },
        { filterType: 'WILDCARD', filter: 'dev-*' },
      ],
    });
    // WHEN it becomes IMMUTABLE, then the update is rolled back, then deleted
    const [toImmutable, rolledBack, deleted] = await runBundle(responses, [
      stack.update(name, immutable, excluding),
      stack.update(name, excluding, immutable),
      stack.delete(name, excluding),
    ]);
    // THEN every step succeeded under the same physical id
    expect([toImmutable, rolledBack, deleted].map((response) => [response?.Status, response?.PhysicalResourceId])).toEqual([
      ['SUCCESS', name],
      ['SUCCESS', name],
      ['SUCCESS', name],
    ]);
    expect(await readRepository(name)).toBeUndefined();
  });

  it('passes ECR.2 after an in-place update to IMMUTABLE and fails it again after the rollback', async () => {
    const mutable = { ...required(), ImageTagMutability: 'MUTABLE' };
    const immutable = { ...mutable, ImageTagMutability: 'IMMUTABLE' };
    const { stack, name } = await created(mutable);
    await runBundle(responses, [stack.update(name, immutable, mutable)]);
    expect((await evaluate(name))[IMMUTABILITY]).toBe('COMPLIANT');
    await runBundle(responses, [stack.update(name, mutable, immutable)]);
    expect((await evaluate(name))[IMMUTABILITY]).toBe('NON_COMPLIANT');
  });

  it("keeps a lifecycle rule a team added by hand through an update and its rollback", async () => {
    // GIVEN a repository with ImagesRetained and a team's own rule
    const before = { ...required(), ImagesRetained: '10' };
    const after = { ...before, ImagesRetained: '20' };
    const { stack, name } = await created(before);
    const ours = (await readRepository(name))!.lifecycle!.rules;
    const teamRule = { rulePriority: 1, description: 'expire pull-request images', selection: { tagStatus: 'tagged', tagPrefixList: ['pr-'], countType: 'sinceImagePushed', countUnit: 'days', countNumber: 3 }, action: { type: 'expire' } };
    await ecr.send(new PutLifecyclePolicyCommand({ repositoryName: name, lifecyclePolicyText: JSON.stringify({ rules: [teamRule, ...ours.map((rule, index) => ({ ...rule, rulePriority: index + 2 }))] }) }));
    // WHEN ImagesRetained changes and the change is rolled back
    const [update, rollback] = await runBundle(responses, [stack.update(name, after, before), stack.update(name, before, after)]);
    // THEN both succeed and the team's rule is still there, next to ours
    expect([update?.Status, rollback?.Status]).toEqual(['SUCCESS', 'SUCCESS']);
    const rules = (await readRepository(name))!.lifecycle!.rules as Array<{ description?: string; selection: Record<string, unknown> }>;
    expect(rules.map((rule) => rule.description)).toEqual(['expire pull-request images', expect.stringContaining('untagged'), expect.stringContaining('Keep the 10')]);
  });

  it('never fails an update or its rollback of an AES256 repository made before ORG_REQUIRE_KMS_KEY, which stays AES256 until replaced', async () => {
    const old = required();
    const updated = { ...old, ImagesRetained: '5' };
    const { stack, name } = await created(old);
    const required_ = { ...SETTINGS, ORG_REQUIRE_KMS_KEY: 'true' };
    const [update, rollback] = await runBundle(responses, [stack.update(name, updated, old), stack.update(name, old, updated)], required_);
    expect([update?.Status, rollback?.Status]).toEqual(['SUCCESS', 'SUCCESS']);
    expect((await evaluate(name))[CMK]).toBe('NON_COMPLIANT');
    // WHEN it is replaced (a new base name), the new repository gets the key
    const renamed = { ...old, RepositoryBaseName: unique('compliance-keyed') };
    const [replaced, cleanup] = await runBundle(responses, [stack.update(name, renamed, old), stack.delete(name, old)], required_);
    expect([replaced?.Status, cleanup?.Status]).toEqual(['SUCCESS', 'SUCCESS']);
    expect(await evaluate(replaced!.PhysicalResourceId)).toEqual(verdicts(ALL_RULES));
    expect(await readRepository(name)).toBeUndefined();
  });

  it("matches the README's controls table", async () => {
    // GIVEN the table rows as documented
    const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
    const rows = readme.split('\n').filter((line) => /^\| `ecr-/.test(line));
    // THEN every rule has a row naming its control and whether it passes by default, as measured above
    const byDefault = await evaluate((await created(required())).name);
    expect(rows).toHaveLength(ALL_RULES.length);
    for (const rule of ALL_RULES) {
      const row = rows.find((line) => line.startsWith(`| \`${rule}\``));
      expect(row).toContain(CONFIG_RULES[rule].control);
      expect(row?.split('|')[2]?.trim().startsWith(byDefault[rule] === 'COMPLIANT' ? 'yes' : 'no')).toBe(true);
    }
  });
});
