/**
 * Stack tags against an AWS-compatible endpoint: a real stack (CloudFormation CreateStack with
 * tags) owns the resource, and the BUILT bundle copies its tags onto the repository, key and
 * parameters through Create, Update both ways and Delete. Skipped, saying so, without an endpoint.
 */
import { CloudFormationClient, CreateStackCommand, DeleteStackCommand, UpdateStackCommand } from '@aws-sdk/client-cloudformation';
import { endpoint, readKey, readParameters, readRepository, REGION, ResponseServer, runBundle, Stack, unique } from './harness';

if (!endpoint) {
  console.warn('Stack-tag integration suite SKIPPED: set AWS_ENDPOINT_URL to an AWS-compatible endpoint (e.g. moto_server); .ci/run does this in CI.');
}
const describeWithEndpoint = endpoint ? describe : describe.skip;
jest.setTimeout(120_000);

const cloudFormation = new CloudFormationClient({ region: REGION, credentials: { accessKeyId: 'integration', secretAccessKey: 'integration' }, ...(endpoint ? { endpoint } : {}) });
const TEMPLATE = JSON.stringify({ Resources: { Nothing: { Type: 'AWS::CloudFormation::WaitConditionHandle' } } });
const tagList = (tags: Record<string, string>) => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));

/** A stack that exists in the endpoint, with tags, whose StackId the events carry. */
class TaggedStack extends Stack {
  override stackId = '';
  readonly stackName = unique('integ-tagged');

  async deploy(tags: Record<string, string>): Promise<this> {
    const created = await cloudFormation.send(new CreateStackCommand({ StackName: this.stackName, TemplateBody: TEMPLATE, Tags: tagList(tags) }));
    this.stackId = created.StackId!;
    return this;
  }

  async retag(tags: Record<string, string>): Promise<void> {
    await cloudFormation.send(new UpdateStackCommand({ StackName: this.stackId, TemplateBody: TEMPLATE, Tags: tagList(tags) }));
  }

  async remove(): Promise<void> {
    await cloudFormation.send(new DeleteStackCommand({ StackName: this.stackId }));
  }
}

describeWithEndpoint('stack tags against an AWS-compatible endpoint', () => {
  const responses = new ResponseServer();
  beforeAll(() => responses.start());
  afterAll(() => responses.stop());

  it('copies the stack tags onto the repository, key and parameters, follows them on Update both ways, and deletes cleanly', async () => {
    // GIVEN a real stack tagged application=shop and team=from-stack (the consumer says team=payments)
    const stack = await new TaggedStack(responses).deploy({ application: 'shop', team: 'from-stack' });
    const base = unique('tagged');
    const name = `acme-shop-${base}`;
    const stem = `ECR_${base.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
    const properties = { ApplicationName: 'shop', RepositoryBaseName: base, UseKmsKey: 'true', ImagesRetained: '10', Tags: [{ Key: 'team', Value: 'payments' }] };

    // WHEN CloudFormation sends Create
    const [created] = await runBundle(responses, [stack.create(properties)]);
    // THEN the stack tag is on the repository, the key and the parameters; the consumer's and organisation's tags win
    expect(created).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: name });
    const keyArn = created!.Data!.KmsKeyArn!;
    const parameterNames = [`${stem}_arn`, `${stem}_name`, `${stem}_kms_key_arn`];
    const expected = { application: 'shop', team: 'payments', 'cost-center': 'cc-42', 'org-ecr:stack-id': stack.stackId };
    expect((await readRepository(name))?.tags).toMatchObject(expected);
    expect((await readKey(keyArn)).tags).toMatchObject(expected);
    for (const parameter of Object.values(await readParameters(parameterNames))) expect(parameter.tags).toMatchObject(expected);

    // WHEN the stack's tags change (application removed, stage added) and the resource is updated
    await stack.retag({ stage: 'prod' });
    const retained = { ...properties, ImagesRetained: '5' };
    const [updated] = await runBundle(responses, [stack.update(name, retained, properties)]);
    // THEN the repository, key and parameters follow the stack
    expect(updated?.Status).toBe('SUCCESS');
    const afterUpdate = [(await readRepository(name))?.tags, (await readKey(keyArn)).tags, ...Object.values(await readParameters(parameterNames)).map((parameter) => parameter.tags)];
    for (const tags of afterUpdate) {
      expect(tags).toMatchObject({ stage: 'prod', team: 'payments' });
      expect(tags?.application).toBeUndefined();
    }

    // WHEN the stack rolls back: its tags and the old properties come back
    await stack.retag({ application: 'shop', team: 'from-stack' });
    const [rolledBack] = await runBundle(responses, [stack.update(name, properties, retained)]);
    // THEN so do the tags
    expect(rolledBack?.Status).toBe('SUCCESS');
    const afterRollback = await readRepository(name);
    expect(afterRollback?.tags).toMatchObject(expected);
    expect(afterRollback?.tags.stage).toBeUndefined();
    expect((await readKey(keyArn)).tags.stage).toBeUndefined();

    // WHEN the resource is deleted
    const [deleted] = await runBundle(responses, [stack.delete(name, properties)]);
    // THEN everything is gone as usual
    expect(deleted?.Status).toBe('SUCCESS');
    expect(await readRepository(name)).toBeUndefined();
    expect(await readParameters(parameterNames)).toEqual({});
    await stack.remove();
  });

  it('creates the repository with no stack tags when the StackId names no stack', async () => {
    // GIVEN a StackId naming no stack the endpoint knows (DescribeStacks answers ValidationError: a stack that does not exist has no tags)
    const stack = new Stack(responses);
    const base = unique('untagged');
    // WHEN
    const [created] = await runBundle(responses, [stack.create({ ApplicationName: 'shop', RepositoryBaseName: base })]);
    // THEN the Create succeeds with the organisation's tags
    expect(created?.Status).toBe('SUCCESS');
    expect((await readRepository(`acme-shop-${base}`))?.tags).toMatchObject({ 'cost-center': 'cc-42', 'org-ecr:stack-id': stack.stackId });
    const [deleted] = await runBundle(responses, [stack.delete(`acme-shop-${base}`, { ApplicationName: 'shop', RepositoryBaseName: base })]);
    expect(deleted?.Status).toBe('SUCCESS');
  });
});
