import { CREATE_FAILED_MARKER } from '../../../handler/src/contract';
import { givenMockedAws } from '../../helpers/aws-mocks';
import { arrange, NAME, type RecordedCall, recordSuccessfulCalls, runStory, sameCall, stepOf, undoOf } from '../../helpers/aws-scenarios';

// Every SDK call a successful Create (key, rotation, sharing, retention) makes, in order.
const CALLS = recordSuccessfulCalls('create');
const CASES = CALLS.flatMap((call, index) => ['AccessDeniedException', 'ServerException'].map((code) => [`${stepOf(call)} (call ${index + 1})`, code, call] as const));
const COMPENSATIONS = new Set(['DeleteRepositoryCommand', 'DeleteAliasCommand', 'DeleteParametersCommand', 'ScheduleKeyDeletionCommand']);

const aws = givenMockedAws();
afterAll(() => aws.restore());

/** Whether `log` holds the call that undoes `created`. */
function undone(log: readonly RecordedCall[], created: RecordedCall): boolean {
  const undo = undoOf(created);
  if (!undo) return true;
  return log.some(
    (call) =>
      call.service === undo.service &&
      call.command === undo.command &&
      Object.entries(undo.input).every(([key, value]) => (Array.isArray(value) ? value.every((item) => (call.input[key] as unknown[]).includes(item)) : call.input[key] === value)),
  );
}

describe('createRepositoryHandler over AwsObserver and AwsActionRunner on Create', () => {
  it('answers and makes exactly the recorded calls when every call succeeds', async () => {
    const log = arrange(aws, 'create');
    const { outcome, error } = await runStory(aws, 'create');
    expect(error).toBeUndefined();
    expect(outcome?.physicalResourceId).toBe(NAME);
    expect(log).toEqual(CALLS);
  });

  it.each(CASES)('fails naming %s and %s, removing what it had created, when that call fails', async (_step, code, failing) => {
    // GIVEN a healthy account where this one call fails
    const log = arrange(aws, 'create', { call: failing, code });

    // WHEN the Create runs
    const { error } = await runStory(aws, 'create');

    // THEN the reason names the step and the AWS error
    expect(error?.message).toContain(`${stepOf(failing)} on `);
    expect(error?.message).toContain(code);

    // AND everything created before the failure was removed, and nothing else
    const created = log.filter((call) => !sameCall(call, failing) && undoOf(call) !== undefined);
    for (const call of created) expect({ created: call, undone: undone(log, call) }).toEqual({ created: call, undone: true });
    for (const call of log.filter((candidate) => COMPENSATIONS.has(candidate.command))) {
      expect(created.some((candidate) => undoOf(candidate)?.command === call.command)).toBe(true);
    }

    // AND the answer is the marker: nothing of this request remains
    expect(error?.physicalResourceId).toBe(CREATE_FAILED_MARKER);
  });

  it.each(CASES.filter(([, code]) => code === 'ServerException'))('answers the repository name only when something may remain, when %s fails and so does every clean-up call', async (_step, code, failing) => {
    // GIVEN the call fails, and so does every clean-up call
    const log = arrange(aws, 'create', { call: failing, code }, (call) => COMPENSATIONS.has(call.command));

    // WHEN the Create runs
    const { error } = await runStory(aws, 'create');

    // THEN the answer names the repository when anything was created (the Delete that follows finds it), else the marker
    const createdSomething = log.some((call) => !sameCall(call, failing) && undoOf(call) !== undefined);
    expect(error?.physicalResourceId).toBe(createdSomething ? NAME : CREATE_FAILED_MARKER);
  });
});
