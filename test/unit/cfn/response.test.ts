import * as fc from 'fast-check';
import { CREATE_FAILED_MARKER } from '../../../handler/src/contract';
import {
  buildResponse,
  cutToBytes,
  fitToBudget,
  RESPONSE_MAX_BYTES,
  TRUNCATION_MARK,
  usablePhysicalId,
  type ResponseFields,
} from '../../../handler/src/cfn/response';
import { SIGNATURE } from './helpers/events';

const IDENTITY = { stackId: 'arn:aws:cloudformation:eu-west-1:111111111111:stack/app/1', requestId: 'req-1', logicalResourceId: 'Repo' };
const SUFFIX = ' (details in the provider log: request lambda-req-9)';

function failed(reason: string, extra: Partial<ResponseFields> = {}): ResponseFields {
  return { status: 'FAILED', physicalResourceId: 'acme-shop-api', reason, ...IDENTITY, ...extra };
}

const bytesOf = (text: string) => Buffer.byteLength(text, 'utf8');

describe('buildResponse', () => {
  it('echoes the request identity and omits absent optional fields when the answer is SUCCESS', () => {
    expect(buildResponse({ status: 'SUCCESS', physicalResourceId: 'acme-shop-api', ...IDENTITY })).toEqual({
      Status: 'SUCCESS',
      PhysicalResourceId: 'acme-shop-api',
      StackId: IDENTITY.stackId,
      RequestId: 'req-1',
      LogicalResourceId: 'Repo',
    });
  });

  it.each([[undefined], ['']])('answers the create-failed marker when the physical id is %j', (id) => {
    expect(buildResponse({ status: 'FAILED', physicalResourceId: id, reason: 'x', ...IDENTITY }).PhysicalResourceId).toBe(CREATE_FAILED_MARKER);
  });

  it('passes NoEcho and Data through when given', () => {
    expect(buildResponse({ status: 'SUCCESS', physicalResourceId: 'a', ...IDENTITY, noEcho: true, data: { A: '1' } })).toMatchObject({ NoEcho: true, Data: { A: '1' } });
  });

  it('gives a FAILED answer a reason when none was given', () => {
    expect(buildResponse({ status: 'FAILED', physicalResourceId: 'a', ...IDENTITY }).Reason).toMatch(/log/);
  });

  it('scrubs presigned-URL signatures from the reason', () => {
    const response = buildResponse(failed(`AwsCallError: GET https://b.s3.amazonaws.com/k?X-Amz-Signature=${SIGNATURE} denied`));
    expect(response.Reason).not.toContain(SIGNATURE);
  });
});

describe('usablePhysicalId', () => {
  it('cuts an id to 1024 bytes between characters when it is longer', () => {
    // GIVEN an id of 1000 ASCII bytes then 3-byte characters
    const id = `${'a'.repeat(1000)}${'€'.repeat(100)}`;

    // WHEN it is made usable
    const usable = usablePhysicalId(id);

    // THEN it holds 1000 + 8 × 3 bytes and no broken character
    expect(bytesOf(usable)).toBe(1024);
    expect(usable.endsWith('€')).toBe(true);
  });

  it('keeps an id of exactly 1024 bytes whole', () => {
    expect(usablePhysicalId('x'.repeat(1024))).toHaveLength(1024);
  });
});

describe('cutToBytes', () => {
  it('never splits a surrogate pair when the limit falls inside an emoji', () => {
    expect(cutToBytes('ab🚀', 4)).toBe('ab');
  });
});

describe('fitToBudget', () => {
  it('appends the log pointer to a reason that fits', () => {
    const fitted = fitToBudget(buildResponse(failed('InvalidPropertiesError: bad')), { reasonSuffix: SUFFIX });
    expect(fitted.response.Reason).toBe(`InvalidPropertiesError: bad${SUFFIX}`);
    expect(fitted.reasonCut).toBe(false);
    expect(fitted.bytes).toBe(bytesOf(fitted.body));
  });

  it('leaves a SUCCESS answer without a reason when given a log pointer', () => {
    const fitted = fitToBudget(buildResponse({ status: 'SUCCESS', physicalResourceId: 'a', ...IDENTITY }), { reasonSuffix: SUFFIX });
    expect(fitted.response.Reason).toBeUndefined();
  });

  it('cuts a huge multi-byte reason so the whole body fits in 4096 bytes and keeps the log pointer', () => {
    // GIVEN a reason of 3000 characters mixing 2-, 3- and 4-byte characters
    const reason = `InvalidPropertiesError: ${'ÅÄÖ€🚀'.repeat(600)}`;

    // WHEN it is fitted
    const fitted = fitToBudget(buildResponse(failed(reason)), { reasonSuffix: SUFFIX });

    // THEN the body is valid JSON within the budget, filled close to it, with the cut marked
    expect(fitted.bytes).toBeLessThanOrEqual(RESPONSE_MAX_BYTES);
    expect(fitted.bytes).toBeGreaterThan(RESPONSE_MAX_BYTES - 8);
    const parsed = JSON.parse(fitted.body) as { Reason: string };
    expect(parsed.Reason.startsWith('InvalidPropertiesError: ÅÄÖ€🚀')).toBe(true);
    expect(parsed.Reason.endsWith(`${TRUNCATION_MARK}${SUFFIX}`)).toBe(true);
    expect(parsed.Reason).not.toContain('\uFFFD');
    expect(fitted.reasonCut).toBe(true);
  });

  it('counts JSON escaping when the reason is made of control characters and quotes', () => {
    // GIVEN characters that serialize to 6 (\u0001) and 2 (\") bytes each
    const reason = '\u0001"'.repeat(2000);

    // WHEN it is fitted
    const fitted = fitToBudget(buildResponse(failed(reason)));

    // THEN the serialized body, not the raw text, is within the budget
    expect(fitted.bytes).toBeLessThanOrEqual(RESPONSE_MAX_BYTES);
    expect(bytesOf(fitted.body)).toBe(fitted.bytes);
  });

  it('fails the answer without Data when Data alone overflows the budget', () => {
    // GIVEN a SUCCESS with 5000 bytes of attributes
    const response = buildResponse({ status: 'SUCCESS', physicalResourceId: 'acme-shop-api', ...IDENTITY, data: { Big: 'x'.repeat(5000) } });

    // WHEN it is fitted
    const fitted = fitToBudget(response, { reasonSuffix: SUFFIX });

    // THEN it became a short FAILED that keeps the physical id (so the Delete finds what was made)
    expect(fitted.dataDropped).toBe(true);
    expect(fitted.response).toEqual({
      Status: 'FAILED',
      Reason: expect.stringMatching(/^ResponseTooLongError: the attributes \(Data\) take 5010 bytes of the 4096-byte response limit.*details in the provider log/),
      PhysicalResourceId: 'acme-shop-api',
      StackId: IDENTITY.stackId,
      RequestId: 'req-1',
      LogicalResourceId: 'Repo',
    });
    expect(fitted.bytes).toBeLessThanOrEqual(RESPONSE_MAX_BYTES);
  });

  it('falls back to a bare cut reason when even the log pointer does not fit', () => {
    const fitted = fitToBudget(buildResponse(failed('boom')), { reasonSuffix: 'x'.repeat(5000) });
    expect(fitted.response.Reason).toBe(TRUNCATION_MARK);
    expect(fitted.bytes).toBeLessThanOrEqual(RESPONSE_MAX_BYTES);
  });

  it('keeps every body within the budget and valid JSON whatever the reason and id hold', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 6000 }),
        fc.string({ unit: 'binary', minLength: 1, maxLength: 300 }),
        fc.boolean(),
        (reason, id, withData) => {
          const data = withData ? { RepositoryUri: '111111111111.dkr.ecr.eu-west-1.amazonaws.com/acme-shop-api' } : undefined;
          const fitted = fitToBudget(buildResponse(failed(reason, { physicalResourceId: id, ...(data ? { data } : {}) })), { reasonSuffix: SUFFIX });
          expect(bytesOf(fitted.body)).toBeLessThanOrEqual(RESPONSE_MAX_BYTES);
          expect(JSON.parse(fitted.body)).toEqual(fitted.response);
          expect(fitted.response.Reason?.endsWith(SUFFIX)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});
