import { givenMockedAws } from '../../helpers/aws-mocks';
import { arrange, NAME, type RecordedCall, recordSuccessfulCalls, runStory, stepOf, type Story } from '../../helpers/aws-scenarios';

const WRITE = /^(Create|Put|Set|Delete|Tag|Untag|Update|Enable|Disable|Cancel|Schedule|Add|Remove)/;
const isWrite = (call: RecordedCall) => WRITE.test(call.command);
const casesOf = (calls: readonly RecordedCall[]) =>
  calls.flatMap((call, index) => ['AccessDeniedException', 'ServerException'].map((code) => [`${stepOf(call)} (call ${index + 1})`, code, call] as const));

// Every SDK call each successful story makes, in order.
const CALLS: Record<Exclude<Story, 'create'>, RecordedCall[]> = {
  update: recordSuccessfulCalls('update'),
  delete: recordSuccessfulCalls('delete'),
  'delete-foreign': recordSuccessfulCalls('delete-foreign'),
};

const aws = givenMockedAws();
afterAll(() => aws.restore());

describe('createRepositoryHandler over AwsObserver and AwsActionRunner on an in-place Update', () => {
  it('answers the same physical id and makes exactly the recorded calls when every call succeeds', async () => {
    const log = arrange(aws, 'update');
    const { outcome, error } = await runStory(aws, 'update');
    expect(error).toBeUndefined();
    expect(outcome?.physicalResourceId).toBe(NAME);
    expect(log).toEqual(CALLS.update);
    expect(log.map((call) => call.command)).not.toContain('CreateRepositoryCommand');
  });

  it.each(casesOf(CALLS.update))('fails naming %s and %s, and never deletes or creates the repository, when that call fails', async (_step, code, failing) => {
    // GIVEN the repository exists and is ours; this one call fails
    const log = arrange(aws, 'update', { call: failing, code });

    // WHEN the Update runs
    const { error } = await runStory(aws, 'update');

    // THEN the reason names the step and the AWS error
    expect(error?.message).toContain(`${stepOf(failing)} on `);
    expect(error?.message).toContain(code);

    // AND nothing was replaced, and nothing was written when the failure was a read
    const commands = log.map((call) => call.command);
    for (const never of ['DeleteRepositoryCommand', 'CreateRepositoryCommand', 'CreateKeyCommand']) expect(commands).not.toContain(never);
    if (!isWrite(failing)) expect(log.filter(isWrite)).toEqual([]);
  });
});

describe('createRepositoryHandler over AwsObserver and AwsActionRunner on Delete', () => {
  it('deletes the repository, parameters and alias, then schedules the key, when every call succeeds', async () => {
    const log = arrange(aws, 'delete');
    const { outcome, error } = await runStory(aws, 'delete');
    expect(error).toBeUndefined();
    expect(outcome).toEqual({ physicalResourceId: NAME });
    expect(log).toEqual(CALLS.delete);
    expect(log.filter(isWrite).map((call) => call.command)).toEqual(['DeleteRepositoryCommand', 'DeleteParametersCommand', 'DeleteAliasCommand', 'ScheduleKeyDeletionCommand']);
  });

  it.each(casesOf(CALLS.delete))('fails naming %s and %s when that call fails, deleting nothing unproven', async (_step, code, failing) => {
    const log = arrange(aws, 'delete', { call: failing, code });

    const { error } = await runStory(aws, 'delete');

    expect(error?.message).toContain(`${stepOf(failing)} on `);
    expect(error?.message).toContain(code);
    // A failed read proves nothing about ownership: no write follows it.
    if (!isWrite(failing)) expect(log.filter(isWrite)).toEqual([]);
    // The key outlives its repository: never scheduled while the repository may still exist.
    if (failing.command === 'DeleteRepositoryCommand') expect(log.map((call) => call.command)).not.toContain('ScheduleKeyDeletionCommand');
  });

  it('reads but never writes when the repository is not ours', async () => {
    const log = arrange(aws, 'delete-foreign');
    const { outcome, error } = await runStory(aws, 'delete-foreign');
    expect(error).toBeUndefined();
    expect(outcome).toEqual({ physicalResourceId: NAME });
    expect(log).toEqual(CALLS['delete-foreign']);
    expect(log.filter(isWrite)).toEqual([]);
  });

  it.each(casesOf(CALLS['delete-foreign']))('never deletes a repository that is not ours when %s fails with %s', async (_step, code, failing) => {
    const log = arrange(aws, 'delete-foreign', { call: failing, code });

    const { error } = await runStory(aws, 'delete-foreign');

    expect(error?.message).toContain(`${stepOf(failing)} on `);
    expect(log.filter(isWrite)).toEqual([]);
  });
});
