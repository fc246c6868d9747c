/**
 * Builders for CloudFormation events and Lambda contexts that read like the scenario.
 */
import type { CloudFormationEvent, LambdaContextLike } from '../../../../handler/src/cfn/types';

/** The signature of every presigned URL in these tests; it must never reach a log. */
export const SIGNATURE = 'c0ffee5ecret51gnature';

/** A path and query shaped like CloudFormation's presigned S3 ResponseURL. */
export const PRESIGNED_PATH =
  '/cloudformation-custom-resource-response-euwest1/arn%3Aaws%3Acloudformation%3Aeu-west-1%3A111111111111%3Astack/app/1%7CRepo%7Creq-1' +
  `?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20261127T120000Z&X-Amz-Expires=7200&X-Amz-SignedHeaders=host` +
  `&X-Amz-Credential=AKIAEXAMPLE%2F20261127%2Feu-west-1%2Fs3%2Faws4_request&X-Amz-Signature=${SIGNATURE}`;

const BASE = {
  StackId: 'arn:aws:cloudformation:eu-west-1:111111111111:stack/app/1',
  RequestId: 'req-1',
  LogicalResourceId: 'Repo',
  ResourceType: 'Custom::OrgEcrRepository',
  ServiceToken: 'arn:aws:lambda:eu-west-1:111111111111:function:provider',
};

const PROPERTIES = { ServiceToken: BASE.ServiceToken, ServiceTimeout: '600', ApplicationName: 'shop' };

export function givenCreateEvent(responseUrl: string, overrides: Partial<CloudFormationEvent> = {}): CloudFormationEvent {
  return { ...BASE, RequestType: 'Create', ResponseURL: responseUrl, ResourceProperties: PROPERTIES, ...overrides };
}

export function givenUpdateEvent(
  responseUrl: string,
  physicalResourceId: string,
  overrides: Partial<CloudFormationEvent> = {},
): CloudFormationEvent {
  return {
    ...BASE,
    RequestType: 'Update',
    ResponseURL: responseUrl,
    PhysicalResourceId: physicalResourceId,
    ResourceProperties: PROPERTIES,
    OldResourceProperties: { ...PROPERTIES, ServiceTimeout: '300', ApplicationName: 'old' },
    ...overrides,
  };
}

export function givenDeleteEvent(responseUrl: string, physicalResourceId: string): CloudFormationEvent {
  return { ...BASE, RequestType: 'Delete', ResponseURL: responseUrl, PhysicalResourceId: physicalResourceId, ResourceProperties: PROPERTIES };
}

/** A Lambda context reporting a fixed remaining time. */
export function givenContext(remainingMs = 900_000): LambdaContextLike {
  return {
    getRemainingTimeInMillis: () => remainingMs,
    awsRequestId: 'lambda-req-9',
    logGroupName: '/aws/lambda/provider',
    logStreamName: '2026/11/27/[$LATEST]abc123',
  };
}
