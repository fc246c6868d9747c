import { parseEvent, toResourceRequest } from '../../../handler/src/cfn/event';
import { givenCreateEvent, givenDeleteEvent, givenUpdateEvent, PRESIGNED_PATH, SIGNATURE } from './helpers/events';

const URL = `https://b.s3.amazonaws.com${PRESIGNED_PATH}`;

describe('parseEvent', () => {
  it.each([
    ['Create', givenCreateEvent(URL)],
    ['Update', givenUpdateEvent(URL, 'acme-shop-api')],
    ['Delete', givenDeleteEvent(URL, 'acme-shop-api')],
  ])('accepts a well-formed %s event', (_type, event) => {
    expect(parseEvent(event)).toEqual({ ok: true, event });
  });

  it('fails with every problem at once and keeps the ResponseURL to answer when it is usable', () => {
    // GIVEN an event with an unknown RequestType, no StackId and a string for properties
    const event = { ...givenCreateEvent(URL), RequestType: 'Upsert', StackId: undefined, ResourceProperties: 'x' };

    // WHEN it is parsed
    const parsed = parseEvent(event);

    // THEN each problem names the field, the rule and the value
    expect(parsed).toEqual({
      ok: false,
      responseUrl: URL,
      identity: { stackId: '', requestId: 'req-1', logicalResourceId: 'Repo' },
      problems: [
        '`RequestType` must be one of Create, Update, Delete; got: "Upsert"',
        '`StackId` must be a non-empty string; got: nothing',
        '`ResourceProperties` must be an object when present; got: string',
      ],
    });
  });

  it.each([[undefined], [''], ['ftp://b/x'], ['not a url']])('fails without a ResponseURL to answer when it is %j', (responseUrl) => {
    const parsed = parseEvent({ ...givenCreateEvent(URL), ResponseURL: responseUrl });
    expect(parsed).toMatchObject({ ok: false, problems: ['`ResponseURL` must be an http(s) URL; it is missing or unusable'] });
    expect(parsed).not.toHaveProperty('responseUrl');
  });

  it('fails an Update without a PhysicalResourceId', () => {
    const { PhysicalResourceId: _id, ...event } = givenUpdateEvent(URL, 'x');
    expect(parseEvent(event)).toMatchObject({ ok: false, problems: ['`PhysicalResourceId` must be a non-empty string on Update; got: nothing'] });
  });

  it('fails a non-object event without echoing secrets', () => {
    const parsed = parseEvent(`ResponseURL=${URL}`);
    expect(parsed.ok).toBe(false);
    expect(JSON.stringify(parsed)).not.toContain(SIGNATURE);
  });
});

describe('toResourceRequest', () => {
  it('strips ServiceToken and ServiceTimeout from both property sets and drops the ResponseURL', () => {
    // GIVEN an Update whose properties carry the framework keys
    const event = givenUpdateEvent(URL, 'acme-shop-api');

    // WHEN it becomes the business request
    const request = toResourceRequest(event);

    // THEN only the template author's properties remain, and no URL anywhere
    expect(request).toEqual({
      requestType: 'Update',
      stackId: event.StackId,
      requestId: 'req-1',
      logicalResourceId: 'Repo',
      physicalResourceId: 'acme-shop-api',
      properties: { ApplicationName: 'shop' },
      oldProperties: { ApplicationName: 'old' },
    });
    expect(JSON.stringify(request)).not.toContain('amazonaws');
    expect(event.ResourceProperties).toHaveProperty('ServiceToken');
  });

  it('gives empty properties and no oldProperties when a Create has no properties', () => {
    const { ResourceProperties: _p, ...event } = givenCreateEvent(URL);
    const request = toResourceRequest(event);
    expect(request.properties).toEqual({});
    expect(request).not.toHaveProperty('oldProperties');
    expect(request).not.toHaveProperty('physicalResourceId');
  });
});
