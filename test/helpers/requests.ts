/**
 * Requests as the protocol layer hands them to the business handler, an execution context
 * that records the claimed physical id, and a logger that records what it is told.
 */
import type { ExecutionContext, ResourceRequest } from '../../handler/src/cfn/types';
import type { ProviderLogger } from '../../handler/src/provider/provider';
import { givenProperties, LOGICAL_ID, STACK_ID } from './given';

const IDENTITY = { stackId: STACK_ID, requestId: 'req-1', logicalResourceId: LOGICAL_ID };

/** A Create of the given properties. */
export function givenCreateRequest(properties: Record<string, unknown> = givenProperties()): ResourceRequest {
  return { ...IDENTITY, requestType: 'Create', properties };
}

/** An Update from `old` to `new` properties of the resource named `physicalResourceId`. */
export function givenUpdateRequest(update: { physicalResourceId: string; old: Record<string, unknown>; new: Record<string, unknown> }): ResourceRequest {
  return { ...IDENTITY, requestType: 'Update', physicalResourceId: update.physicalResourceId, properties: update.new, oldProperties: update.old };
}

/** A Delete of `physicalResourceId`, with the properties it was last given. */
export function givenDeleteRequest(physicalResourceId: string, properties: Record<string, unknown> = givenProperties()): ResourceRequest {
  return { ...IDENTITY, requestType: 'Delete', physicalResourceId, properties };
}

/** An execution context that never aborts and remembers what the handler claimed. */
export function givenExecutionContext(): ExecutionContext & { readonly claimed: string[] } {
  const claimed: string[] = [];
  return { signal: new AbortController().signal, claimPhysicalId: (id: string) => void claimed.push(id), claimed };
}

/** Records every line; `text()` is what a JSON logger would print. */
export class RecordingLogger implements ProviderLogger {
  readonly lines: { level: string; message: string; extra: Record<string, unknown>[] }[] = [];
  info(message: string, ...extra: Record<string, unknown>[]): void {
    this.lines.push({ level: 'info', message, extra });
  }
  warn(message: string, ...extra: Record<string, unknown>[]): void {
    this.lines.push({ level: 'warn', message, extra });
  }
  error(message: string, ...extra: Record<string, unknown>[]): void {
    this.lines.push({ level: 'error', message, extra });
  }
  text(): string {
    return JSON.stringify(this.lines);
  }
}

/** The error a promise rejects with; fails the test when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error & { physicalResourceId?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { physicalResourceId?: string };
  }
  throw new Error('expected the promise to reject, but it resolved');
}
