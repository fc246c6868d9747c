/**
 * The Lambda entry point of a custom resource: turns one CloudFormation event into exactly
 * one response, whatever the business handler does (returns, throws, throws a non-Error,
 * never settles). The business handler sees a clean request and an abort signal; everything
 * CloudFormation-specific (ids, deadlines, the 4096-byte budget, the PUT) happens here.
 */
import { CREATE_FAILED_MARKER } from '../contract';
import { planDeadlines, startDeadlineGuard, type DeadlinePlan } from './deadline';
import { parseEvent, toResourceRequest } from './event';
import { decideResponse, describeFailure, type HandlerResult } from './outcome';
import { errorForLog, redactSecrets, sanitizeEvent } from './redact';
import { buildResponse, fitToBudget, type ResponseFields } from './response';
import { sendResponse, type HttpTransport } from './send';
import type { CloudFormationEvent, ExecutionContext, LambdaContextLike, ProtocolLogger, ResourceHandler, ResourceRequest } from './types';

/** What the wrapper needs from the outside world; every default is the real thing. */
export interface WrapperDeps {
  /** Receives one sanitized line per request, the outcome before the PUT, and failures with stacks. */
  readonly logger: ProtocolLogger;
  /** @default nodeHttpTransport (node:https, or node:http for loopback URLs) */
  readonly transport?: HttpTransport;
  /** @default Date.now */
  readonly now?: () => number;
  /** Waits between PUT attempts. @default - a real timer */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Draws the backoff jitter. @default Math.random */
  readonly random?: () => number;
  /** Time kept after the hard deadline for the final PUT. @default 5000 (at most a fifth of the budget) */
  readonly reserveMs?: number;
  /** Time between the abort signal and the end of the budget. @default 20000 (at most half the budget) */
  readonly softReserveMs?: number;
}

/**
 * Wraps a business handler in the custom-resource protocol. The returned Lambda handler
 * never rejects (a rejection would make Lambda retry the whole request) and returns only
 * after the response PUT has settled.
 *
 * @example
 * export const handler = createCustomResourceHandler(manageRepository, { logger });
 */
export function createCustomResourceHandler(
  handler: ResourceHandler,
  deps: WrapperDeps,
): (event: CloudFormationEvent, context: LambdaContextLike) => Promise<void> {
  return async (event, context) => {
    const invocation = new Invocation(handler, deps, context);
    try {
      await invocation.handle(event);
    } catch (bug) {
      await invocation.rescue(event, bug);
    } finally {
      deps.logger.resetKeys();
    }
  };
}

class Invocation {
  private readonly logger: ProtocolLogger;
  private readonly now: () => number;
  private readonly startedAt: number;
  private readonly plan: DeadlinePlan;
  private responded = false;
  /** The id decided so far, kept for the rescue path. */
  private physicalResourceId: string | undefined;

  constructor(
    private readonly handler: ResourceHandler,
    private readonly deps: WrapperDeps,
    private readonly context: LambdaContextLike,
  ) {
    this.logger = deps.logger;
    this.now = deps.now ?? Date.now;
    this.startedAt = this.now();
    this.plan = planDeadlines(remainingTime(context), deps);
  }

  async handle(raw: unknown): Promise<void> {
    this.logger.appendKeys(identityKeys(raw));
    this.logger.info('CloudFormation request received', { event: sanitizeEvent(raw), budgetMs: this.plan });
    const parsed = parseEvent(raw);
    if (!parsed.ok) {
      this.logger.error('Malformed CloudFormation event', { problems: parsed.problems.map(redactSecrets) });
      if (parsed.responseUrl === undefined) {
        this.logger.error('No usable ResponseURL: no response can be sent; CloudFormation waits for the ServiceTimeout');
        return;
      }
      await this.respond(parsed.responseUrl, {
        status: 'FAILED',
        physicalResourceId: parsed.identity.physicalResourceId,
        ...parsed.identity,
        reason: `MalformedEventError: ${parsed.problems.join('; ')}`,
      });
      return;
    }

    const event = parsed.event;
    const identity = { stackId: event.StackId, requestId: event.RequestId, logicalResourceId: event.LogicalResourceId };
    if (event.RequestType === 'Delete' && event.PhysicalResourceId === CREATE_FAILED_MARKER) {
      this.logger.info('Delete after a Create that failed before creating anything: nothing to delete');
      await this.respond(event.ResponseURL, { status: 'SUCCESS', physicalResourceId: CREATE_FAILED_MARKER, ...identity });
      return;
    }

    const { result, claimedPhysicalId } = await this.runGuarded(toResourceRequest(event));
    const decision = decideResponse(
      {
        requestType: event.RequestType,
        ...(event.PhysicalResourceId === undefined ? {} : { physicalResourceId: event.PhysicalResourceId }),
        ...(claimedPhysicalId === undefined ? {} : { claimedPhysicalId }),
      },
      result,
    );
    this.physicalResourceId = decision.physicalResourceId;
    if (decision.failure !== undefined) this.logger.error('The request failed', { error: errorForLog(decision.failure) });
    if (decision.replacedPhysicalId !== undefined) {
      this.logger.info('The Update replaced the resource: CloudFormation will send a Delete for the old physical id', {
        oldPhysicalResourceId: decision.replacedPhysicalId,
        newPhysicalResourceId: decision.physicalResourceId,
      });
    }
    await this.respond(event.ResponseURL, { ...decision, ...identity });
  }

  /** Last resort for a bug in this layer: answer FAILED if nothing was sent yet; never throw. */
  async rescue(raw: unknown, bug: unknown): Promise<void> {
    try {
      this.logger.error('The custom-resource wrapper failed unexpectedly', { error: errorForLog(bug) });
      if (this.responded) return;
      const event = (typeof raw === 'object' && raw !== null ? raw : {}) as Partial<Record<keyof CloudFormationEvent, unknown>>;
      if (typeof event.ResponseURL !== 'string') return;
      await this.respond(event.ResponseURL, {
        status: 'FAILED',
        physicalResourceId: this.physicalResourceId ?? (typeof event.PhysicalResourceId === 'string' ? event.PhysicalResourceId : undefined),
        stackId: String(event.StackId ?? ''),
        requestId: String(event.RequestId ?? ''),
        logicalResourceId: String(event.LogicalResourceId ?? ''),
        reason: `InternalError: the provider could not build its answer (${describeFailure(bug)})`,
      });
    } catch (secondBug) {
      // Nothing is left to try; a rejection would only make Lambda re-run the request.
      this.logger.error('No response could be sent', { error: errorForLog(secondBug) });
    }
  }

  /** Runs the business handler against the soft and hard deadlines. */
  private async runGuarded(request: ResourceRequest): Promise<{ result: HandlerResult; claimedPhysicalId?: string }> {
    const guard = startDeadlineGuard(this.plan);
    guard.signal.addEventListener('abort', () => this.logger.warn('Deadline reached: the handler was asked to stop'), { once: true });
    let claimed: string | undefined;
    const executionContext: ExecutionContext = {
      signal: guard.signal,
      claimPhysicalId: (id: string) => {
        if (typeof id !== 'string' || id.length === 0) {
          this.logger.warn('claimPhysicalId ignored: it needs a non-empty string');
        } else if (request.requestType !== 'Create') {
          this.logger.debug('claimPhysicalId ignored: only a Create reports a claimed id', { physicalResourceId: id });
        } else {
          claimed = id;
          this.logger.info('Physical id claimed for this Create', { physicalResourceId: id });
        }
      },
    };
    const settled = invoke(this.handler, request, executionContext);
    try {
      const result = await Promise.race([settled, guard.hardDeadline.then((error): HandlerResult => ({ kind: 'timedOut', error }))]);
      if (result.kind === 'timedOut') {
        void settled.then((late) =>
          this.logger.warn('The handler settled after the hard deadline; ignored, CloudFormation already has its answer', {
            settledAs: late.kind,
            ...(late.kind === 'threw' ? { error: errorForLog(late.error) } : {}),
          }),
        );
      }
      return { result, ...(claimed === undefined ? {} : { claimedPhysicalId: claimed }) };
    } finally {
      guard.stop();
    }
  }

  /** Fits, logs (the decisive line, before the PUT: the log may be all that survives) and sends. */
  private async respond(responseUrl: string, fields: ResponseFields): Promise<void> {
    const fitted = fitToBudget(buildResponse(fields), { reasonSuffix: logPointer(this.context) });
    const { Data, ...visible } = fitted.response;
    const level = fitted.response.Status === 'SUCCESS' ? 'info' : 'warn';
    this.logger[level](`Responding ${fitted.response.Status} to CloudFormation`, {
      response: { ...visible, ...(Data === undefined ? {} : { DataKeys: Object.keys(Data) }) },
      bytes: fitted.bytes,
      ...(fitted.reasonCut ? { reasonCut: true } : {}),
      ...(fitted.dataDropped ? { dataDropped: true } : {}),
    });
    this.responded = true;
    await sendResponse(responseUrl, fitted.body, {
      logger: this.logger,
      deadlineAt: this.startedAt + this.plan.sendByMs,
      ...(this.deps.transport === undefined ? {} : { transport: this.deps.transport }),
      now: this.now,
      ...(this.deps.sleep === undefined ? {} : { sleep: this.deps.sleep }),
      ...(this.deps.random === undefined ? {} : { random: this.deps.random }),
    });
  }
}

async function invoke(handler: ResourceHandler, request: ResourceRequest, context: ExecutionContext): Promise<HandlerResult> {
  try {
    return { kind: 'returned', value: await handler(request, context) };
  } catch (error) {
    return { kind: 'threw', error };
  }
}

function remainingTime(context: LambdaContextLike): number {
  try {
    return context.getRemainingTimeInMillis();
  } catch {
    return Number.NaN;
  }
}

/** Structured-log keys for every line of this request; only strings, scrubbed. */
function identityKeys(raw: unknown): Record<string, string> {
  if (typeof raw !== 'object' || raw === null) return {};
  const keys: Record<string, string> = {};
  for (const field of ['RequestType', 'StackId', 'LogicalResourceId', 'RequestId'] as const) {
    const value = (raw as Record<string, unknown>)[field];
    if (typeof value === 'string') keys[field] = redactSecrets(value.slice(0, 512));
  }
  return keys;
}

/** Where the full story (stack trace included) is: appended to every FAILED `Reason`. */
function logPointer(context: LambdaContextLike): string {
  const parts = [
    context.logGroupName ? `log group ${context.logGroupName}` : undefined,
    context.logStreamName ? `log stream ${context.logStreamName}` : undefined,
    context.awsRequestId ? `request ${context.awsRequestId}` : undefined,
  ].filter((part): part is string => part !== undefined);
  return parts.length === 0 ? '' : ` (details in the provider log: ${parts.join(', ')})`;
}
