import { Logger } from '@aws-lambda-powertools/logger';
import { errorForLog, jsonReplacer, REDACTED, redactSecrets, safeUrl, sanitizeEvent } from '../../../handler/src/cfn/redact';
import type { ProtocolLogger } from '../../../handler/src/cfn/types';
import { givenCreateEvent, PRESIGNED_PATH, SIGNATURE } from './helpers/events';

const RESPONSE_URL = `https://cloudformation-custom-resource-response-euwest1.s3.eu-west-1.amazonaws.com${PRESIGNED_PATH}`;

describe('redactSecrets', () => {
  it('drops the whole query of a presigned URL inside a message', () => {
    expect(redactSecrets(`PUT ${RESPONSE_URL} failed`)).toBe(
      `PUT ${RESPONSE_URL.slice(0, RESPONSE_URL.indexOf('?'))}?${REDACTED} failed`,
    );
  });

  it.each([
    [`X-Amz-Signature=${SIGNATURE}`],
    [`x-amz-security-token=FQoGZXIvYXdzE`],
    [`X-Amz-Credential%3DAKIAEXAMPLE%2F2026`],
    [`AWSAccessKeyId=AKIAEXAMPLE&Expires=1&Signature=${SIGNATURE}`],
  ])('removes the signing parameter name and value from %s', (text) => {
    const redacted = redactSecrets(`request ${text} denied`);
    expect(redacted).not.toMatch(/X-Amz-Signature|X-Amz-Credential|security-token|AKIAEXAMPLE|c0ffee/i);
    expect(redacted).toContain(REDACTED);
  });

  it('keeps a URL whose query signs nothing', () => {
    expect(redactSecrets('see https://docs.aws.amazon.com/x?lang=en')).toBe('see https://docs.aws.amazon.com/x?lang=en');
  });
});

describe('sanitizeEvent', () => {
  it('replaces the ResponseURL and keeps everything else when the event is well formed', () => {
    // GIVEN a Create event with a presigned ResponseURL
    const event = givenCreateEvent(RESPONSE_URL);

    // WHEN it is sanitized
    const sanitized = sanitizeEvent(event);

    // THEN only the URL changed, and the original is untouched
    expect(sanitized).toEqual({ ...event, ResponseURL: REDACTED });
    expect(event.ResponseURL).toBe(RESPONSE_URL);
  });

  it('scrubs signed URLs nested in properties', () => {
    const sanitized = sanitizeEvent(givenCreateEvent('x', { ResourceProperties: { Link: RESPONSE_URL } }));
    expect(JSON.stringify(sanitized)).not.toContain(SIGNATURE);
  });

  it.each([[null], ['text'], [[1, 2]]])('summarizes an event that is not an object: %j', (event) => {
    expect(sanitizeEvent(event)).toEqual({ unreadableEvent: expect.stringMatching(/^expected an object/) });
  });

  it('summarizes an event that cannot be serialized', () => {
    const cyclic: Record<string, unknown> = { RequestType: 'Create' };
    cyclic.self = cyclic;
    expect(sanitizeEvent(cyclic)).toEqual({ unreadableEvent: expect.stringContaining('RequestType, self') });
  });
});

describe('jsonReplacer', () => {
  it('redacts ResponseURL keys in any spelling and signed values anywhere', () => {
    const text = JSON.stringify({ ResponseURL: 'a', nested: { responseUrl: 'b', response_url: 'c', note: RESPONSE_URL } }, jsonReplacer);
    expect(JSON.parse(text)).toEqual({ ResponseURL: REDACTED, nested: { responseUrl: REDACTED, response_url: REDACTED, note: expect.stringContaining(`?${REDACTED}`) } });
  });

  it('keeps the ResponseURL and signatures out of Powertools Logger output when set as jsonReplacerFn', () => {
    // GIVEN a Powertools logger (which also satisfies ProtocolLogger) printing to a captured console
    const printed: string[] = [];
    const logger = new Logger({ serviceName: 'test', jsonReplacerFn: jsonReplacer });
    const capture = (chunk: unknown): boolean => printed.push(String(chunk)) > 0;
    jest.spyOn(process.stdout, 'write').mockImplementation(capture);
    jest.spyOn(process.stderr, 'write').mockImplementation(capture);
    const asProtocolLogger: ProtocolLogger = logger;

    // WHEN an event and an error mentioning the URL are logged
    asProtocolLogger.info('event', { event: { ResponseURL: RESPONSE_URL } });
    asProtocolLogger.error('failed', { error: new Error(`PUT ${RESPONSE_URL} failed`) });

    // THEN the printed lines hold neither the URL's query nor the signature
    jest.restoreAllMocks();
    expect(printed.join('\n')).toContain('"message":"failed"');
    expect(printed.join('\n')).not.toContain(SIGNATURE);
    expect(printed.join('\n')).not.toContain('X-Amz-Credential');
  });
});

describe('errorForLog', () => {
  it('copies name, message, stack and cause with signatures scrubbed', () => {
    const cause = Object.assign(new Error(`denied ${RESPONSE_URL}`), { code: 'AccessDenied' });
    const copy = errorForLog(new Error('outer', { cause }));
    expect(copy).toMatchObject({ name: 'Error', message: 'outer', cause: { name: 'Error', code: 'AccessDenied' } });
    expect(typeof copy.stack).toBe('string');
    expect(JSON.stringify(copy)).not.toContain(SIGNATURE);
  });

  it('describes a thrown non-Error value', () => {
    expect(errorForLog({ reason: 'nope' })).toEqual({ thrown: '{"reason":"nope"}' });
  });
});

describe('safeUrl', () => {
  it('returns scheme, host and path without the query', () => {
    expect(safeUrl(RESPONSE_URL)).toBe(RESPONSE_URL.slice(0, RESPONSE_URL.indexOf('?')));
  });

  it('does not echo an unparseable URL', () => {
    expect(safeUrl(`not a url ${SIGNATURE}`)).toBe('[unparseable URL]');
  });
});
