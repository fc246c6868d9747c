import { CREATE_FAILED_MARKER } from '../../../handler/src/contract';
import { InvalidPropertiesError } from '../../../handler/src/errors';
import { decideResponse, describeFailure, type DecisionInput, type HandlerResult } from '../../../handler/src/cfn/outcome';

const returned = (value: unknown): HandlerResult => ({ kind: 'returned', value });
const threw = (error: unknown): HandlerResult => ({ kind: 'threw', error });
const timedOut: HandlerResult = { kind: 'timedOut', error: new Error('late') };
const failureWithId = Object.assign(new Error('half made'), { physicalResourceId: 'from-error' });

const create: DecisionInput = { requestType: 'Create' };
const createClaimed: DecisionInput = { requestType: 'Create', claimedPhysicalId: 'claimed' };
const update: DecisionInput = { requestType: 'Update', physicalResourceId: 'old' };
const remove: DecisionInput = { requestType: 'Delete', physicalResourceId: 'old' };

describe('decideResponse', () => {
  it.each<[string, DecisionInput, HandlerResult, 'SUCCESS' | 'FAILED', string]>([
    ['a Create that succeeds', create, returned({ physicalResourceId: 'new' }), 'SUCCESS', 'new'],
    ['a Create that fails before claiming', create, threw(new Error('x')), 'FAILED', CREATE_FAILED_MARKER],
    ['a Create that fails after claiming', createClaimed, threw(new Error('x')), 'FAILED', 'claimed'],
    ['a Create that claimed but whose error names its own id', createClaimed, threw(failureWithId), 'FAILED', 'from-error'],
    ['a Create whose error carries an id', create, threw(failureWithId), 'FAILED', 'from-error'],
    ['a Create that times out before claiming', create, timedOut, 'FAILED', CREATE_FAILED_MARKER],
    ['a Create that times out after claiming', createClaimed, timedOut, 'FAILED', 'claimed'],
    ['a Create returning no id', create, returned({}), 'FAILED', CREATE_FAILED_MARKER],
    ['a Create returning an id with bad data', create, returned({ physicalResourceId: 'made', data: 'x' }), 'FAILED', 'made'],
    ['an Update that keeps the id', update, returned({ physicalResourceId: 'old' }), 'SUCCESS', 'old'],
    ['an Update that replaces', update, returned({ physicalResourceId: 'new' }), 'SUCCESS', 'new'],
    ['an Update that fails', update, threw(failureWithId), 'FAILED', 'old'],
    ['an Update that times out', update, timedOut, 'FAILED', 'old'],
    ['a Delete that echoes', remove, returned({ physicalResourceId: 'old' }), 'SUCCESS', 'old'],
    ['a Delete returning nothing', remove, returned(undefined), 'SUCCESS', 'old'],
    ['a Delete that fails', remove, threw(new Error('x')), 'FAILED', 'old'],
    ['a Delete that changes the id', remove, returned({ physicalResourceId: 'other' }), 'FAILED', 'old'],
  ])('answers %s with the right status and physical id', (_name, input, result, status, id) => {
    const decision = decideResponse(input, result);
    expect({ status: decision.status, id: decision.physicalResourceId }).toEqual({ status, id });
  });

  it('fails a Delete that changes the id with a reason naming both ids', () => {
    expect(decideResponse(remove, returned({ physicalResourceId: 'other' })).reason).toBe(
      'InvalidOutcomeError: A Delete cannot change the physical id: CloudFormation asked to delete "old" but the provider answered "other"',
    );
  });

  it('reports the old id when an Update replaces the resource', () => {
    expect(decideResponse(update, returned({ physicalResourceId: 'new', data: { A: '1' } }))).toEqual({
      status: 'SUCCESS',
      physicalResourceId: 'new',
      data: { A: '1' },
      replacedPhysicalId: 'old',
    });
  });

  it('keeps the thrown error for the log when the handler fails', () => {
    const error = new Error('boom');
    expect(decideResponse(update, threw(error))).toMatchObject({ failure: error, reason: 'Error: boom' });
  });
});

describe('describeFailure', () => {
  it('gives Name: message without the stack for an Error', () => {
    const error = new InvalidPropertiesError(['`ImagesRetained` must be a whole number from 1 to 10000; got: "ten"']);
    expect(describeFailure(error)).toBe('InvalidPropertiesError: `ImagesRetained` must be a whole number from 1 to 10000; got: "ten"');
  });

  it.each([
    ['a string', 'nope', 'UnexpectedThrowError: the provider threw a non-Error value: nope'],
    ['an object', { code: 42 }, 'UnexpectedThrowError: the provider threw a non-Error value: {"code":42}'],
    ['undefined', undefined, 'UnexpectedThrowError: the provider threw a non-Error value: undefined'],
  ])('describes a thrown %s', (_name, thrown, reason) => {
    expect(describeFailure(thrown)).toBe(reason);
  });

  it('names an Error without a message', () => {
    expect(describeFailure(new TypeError())).toBe('TypeError (no message)');
  });
});
