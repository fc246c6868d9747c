/**
 * The committed recording of the provider's AWS calls (test/fixtures/iam/recorded-calls.json,
 * kept current by test/integ/iam-calls.integ.test.ts) replayed offline: every call, and every
 * request AWS derives from it, Allowed by the provider role's policy as generated into
 * templates/provider.yaml and by each key's own policy as the provider wrote it.
 */
import { RecordedWorld } from '../../helpers/iam-calls';
import { readRecordedFixture, replayRecordedRuns } from '../../helpers/recorded-simulation';
import { PROVIDER_TEMPLATE } from '../../helpers/provider-deployment';
import { loadTemplate } from '../../helpers/templates';

const runs = readRecordedFixture();

/** The provider template with one action removed from the provider's policy. */
function templateWithout(action: string) {
  const template = loadTemplate(PROVIDER_TEMPLATE);
  for (const resource of Object.values(template.Resources)) {
    if (resource.Type !== 'AWS::IAM::Policy') continue;
    const document = resource.Properties!.PolicyDocument as { Statement: { Action: string | string[] }[] };
    document.Statement = document.Statement.flatMap((statement) => {
      const actions = (Array.isArray(statement.Action) ? statement.Action : [statement.Action]).filter((name) => name !== action);
      return actions.length === 0 ? [] : [{ ...statement, Action: actions }];
    });
  }
  return template;
}

describe('the recorded AWS calls of the provider', () => {
  it('are all allowed by the generated provider policy and the keys\' own policies', async () => {
    const report = await replayRecordedRuns(runs);
    expect(report.denials).toEqual([]);
    expect(report.calls).toBeGreaterThan(100);
    expect(Object.keys(report.byAction).length).toBeGreaterThan(30);
    expect(report.skippedRuns).toBe(0);
  });

  it('fails, naming the call, when the policy is narrowed by mistake', async () => {
    const report = await replayRecordedRuns(runs, {}, templateWithout('ecr:PutLifecyclePolicy'));
    expect(report.denials.length).toBeGreaterThan(0);
    expect(report.denials.every((denial) => denial.startsWith('ecr:PutLifecyclePolicy -> ecr:PutLifecyclePolicy'))).toBe(true);
  });

  it('fails when creating keys is no longer allowed, and when tagging them at creation is not', async () => {
    const withoutCreate = await replayRecordedRuns(runs, {}, templateWithout('kms:CreateKey'));
    expect(withoutCreate.denials.some((denial) => denial.startsWith('kms:CreateKey -> kms:CreateKey (CreateKey)'))).toBe(true);
    const template = templateWithout('kms:TagResource');
    const withoutTagging = await replayRecordedRuns(runs, {}, template);
    expect(withoutTagging.denials.some((denial) => denial.startsWith('kms:CreateKey -> kms:TagResource (CreateKey with Tags)'))).toBe(true);
  });

  it('maps the reads other provider changes add: DescribeStacks of a stack, DescribeParameters without a resource', () => {
    const world = new RecordedWorld('123456789012', 'us-east-1');
    const stackId = 'arn:aws:cloudformation:us-east-1:123456789012:stack/shop/1111';
    expect(world.requestsFor({ action: 'cloudformation:DescribeStacks', body: { Action: 'DescribeStacks', StackName: stackId } })).toEqual([expect.objectContaining({ action: 'cloudformation:DescribeStacks', resource: stackId })]);
    expect(world.requestsFor({ action: 'ssm:DescribeParameters', body: {} })).toEqual([expect.objectContaining({ action: 'ssm:DescribeParameters', resource: '*' })]);
  });

  it('fails for a call it has no IAM mapping for, so a new kind of call cannot pass unchecked', () => {
    const world = new RecordedWorld('123456789012', 'us-east-1');
    expect(() => world.requestsFor({ action: 'sts:GetCallerIdentity', body: {} })).toThrow(/no IAM mapping for sts:GetCallerIdentity/);
  });
});
