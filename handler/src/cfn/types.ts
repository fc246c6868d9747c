/**
 * The CloudFormation custom-resource protocol, seen from the business handler. This layer
 * knows nothing of ECR, KMS or SSM.
 */

export type RequestType = 'Create' | 'Update' | 'Delete';

/** A raw custom-resource event as Lambda receives it (every scalar property is a string). */
export interface CloudFormationEvent {
  readonly RequestType: RequestType;
  readonly ResponseURL: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly ResourceType: string;
  readonly ServiceToken?: string;
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties?: Record<string, unknown>;
  readonly OldResourceProperties?: Record<string, unknown>;
}

/** The subset of the Lambda context the protocol layer needs. */
export interface LambdaContextLike {
  getRemainingTimeInMillis(): number;
  readonly awsRequestId?: string;
  readonly invokedFunctionArn?: string;
  readonly logGroupName?: string;
  readonly logStreamName?: string;
}

/** The request handed to the business handler: no ResponseURL, no credentials. */
export interface ResourceRequest {
  readonly requestType: RequestType;
  readonly stackId: string;
  readonly requestId: string;
  readonly logicalResourceId: string;
  /** Absent on Create. */
  readonly physicalResourceId?: string;
  /** Without `ServiceToken` and `ServiceTimeout`. */
  readonly properties: Record<string, unknown>;
  /** Update only; without `ServiceToken` and `ServiceTimeout`. */
  readonly oldProperties?: Record<string, unknown>;
}

/** What a successful business handler returns. */
export interface ResourceOutcome {
  readonly physicalResourceId: string;
  /** Flat attribute map for `Fn::GetAtt`; keep it small (the whole response is 4096 bytes). */
  readonly data?: Readonly<Record<string, string>>;
}

/** Given to the business handler with each request. */
export interface ExecutionContext {
  /** Aborted when the provider must stop working to answer CloudFormation in time. */
  readonly signal: AbortSignal;
  /**
   * On a Create, names the physical id to report if the request then fails or runs out of
   * time: call it before the first write, so the Delete that follows a failure can find and
   * remove what was created. A thrown error that carries its own `physicalResourceId`
   * (FailureWithPhysicalId) overrides the claim; with neither, a failed Create answers the
   * marker id.
   */
  claimPhysicalId(id: string): void;
}

export type ResourceHandler = (request: ResourceRequest, context: ExecutionContext) => Promise<ResourceOutcome>;

/** The response document PUT to the ResponseURL. */
export interface CloudFormationResponse {
  readonly Status: 'SUCCESS' | 'FAILED';
  readonly Reason?: string;
  readonly PhysicalResourceId: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly NoEcho?: boolean;
  readonly Data?: Readonly<Record<string, string>>;
}

/** A failure that knows which physical id the FAILED response must carry. */
export interface FailureWithPhysicalId {
  readonly physicalResourceId?: string;
}

/**
 * The logging the protocol layer needs. Powertools' `Logger` satisfies it; tests pass a fake
 * that records every call. Extra arguments are plain objects merged into the structured line.
 */
export interface ProtocolLogger {
  debug(message: string, ...extra: Record<string, unknown>[]): void;
  info(message: string, ...extra: Record<string, unknown>[]): void;
  warn(message: string, ...extra: Record<string, unknown>[]): void;
  error(message: string, ...extra: Record<string, unknown>[]): void;
  /** Adds keys to every following line until `resetKeys()`. */
  appendKeys(keys: Record<string, string>): void;
  /** Removes the keys added with `appendKeys()`. */
  resetKeys(): void;
}
