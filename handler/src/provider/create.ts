/**
 * Create (and the create half of a replacing Update): create on the fast path, or, when a name
 * is taken, find out whose it is and adopt-and-converge (a duplicate delivery of this very
 * request, even one running at the same moment) or fail cleanly (someone else's).
 *
 * Invariants:
 * - Nothing anyone else can see is written before the repository (the lock) is created.
 * - A request removes only what it can prove it wrote: its own entries in the journal; a
 *   loser of the lock removes its key (by the ARN it got back), never an alias or parameter.
 * - A name taken by ourselves (a twin delivery) is convergence, never a failure.
 * - A SUCCESS names only things that exist: the repository's actual key, alias and parameters.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { ResourceOutcome } from '../cfn/types';
import { CREATE_FAILED_MARKER } from '../contract';
import type { Action, Actual, Desired, Owner, Plan } from '../core/model';
import { belongsToRepository, isOwnedBy } from '../core/ownership';
import { foreignAliasKey, foreignAliasMessage, planConverge, planCreate } from '../core/plan';
import { lateStackTagActions } from '../core/stack-tags';
import { awsErrorCode, ConflictError } from '../errors';
import type { Settings } from '../props/settings';
import { type Created, Journal, type RunState } from './execute';
import type { ObservationQuery, Observer, ProviderLogger } from './ports';
import { sweepRetriedKeys } from './retried-keys';

/** Errors that mean "the name is taken": resolved by looking at who holds it. */
const NAME_TAKEN = new Set(['RepositoryAlreadyExistsException', 'AlreadyExistsException', 'ParameterAlreadyExists']);

/** Observe-and-converge rounds while a twin writes the same names at the same time. */
const CONVERGE_ROUNDS = 5;

/** Rounds a holder of the parameter lock waits for a racing loser to remove its parameters. */
const PARAMETER_LOCK_ROUNDS = 8;

/**
 * Finds keys by a text in their description: the way back to a key whose CreateKey answer was
 * lost (KMS cannot search keys by tag; its id was in the lost answer).
 */
export interface KeyFinder {
  /** Keys not pending deletion whose description contains `text`, with their tags. */
  findKeys(text: string, signal: AbortSignal, search?: KeySearch): Promise<readonly { readonly arn: string; readonly tags: Readonly<Record<string, string>> }[]>;
}

/** Narrows a {@link KeyFinder} search. */
export interface KeySearch {
  /** ARNs of keys never to return (the key in use). @default - none */
  readonly except?: readonly string[];
  /** The search stops once it has this many matches (keys being read then are returned too). @default 1 */
  readonly count?: number;
}

/** What the Create needs from the provider around it. */
export interface CreateTools {
  readonly observer: Observer;
  readonly logger: ProviderLogger;
  /** @default - an unanswered CreateKey is only named in the log */
  readonly keyFinder?: KeyFinder;
  /** Runs `plan`, going on from `state` (values earlier steps produced). */
  run(plan: Plan, signal: AbortSignal, journal: Journal, state?: RunState): Promise<RunState>;
  /** Removes journal entries; returns what could not be removed. */
  compensate(entries: readonly Created[], settings: Settings): Promise<readonly Created[]>;
  queryFor(desired: Desired): ObservationQuery;
  outcome(desired: Desired, keyArn: string | undefined): ResourceOutcome;
  withPhysicalId(error: unknown, physicalResourceId: string): unknown;
  /** Waits before the next look at a parameter lock held by someone else. @default - backoff with jitter, up to 4 s */
  pause?(round: number, signal: AbortSignal): Promise<void>;
}

export interface CreateRequest {
  readonly desired: Desired;
  readonly settings: Settings;
  readonly owner: Owner;
  readonly signal: AbortSignal;
  /** CloudFormation's RequestId: written into the key's description so a lost key can be found. */
  readonly requestId: string;
  /** The physical id being replaced, when this Create is the first half of a replacing Update. */
  readonly replacing?: string;
  /**
   * Adds the stack's own tags to a desired state once they are read (given the repository's
   * actual tags, kept when the stack's cannot be read). @default - no stack tags
   */
  readonly stackTags?: (desired: Desired, actualRepositoryTags?: Readonly<Record<string, string>>) => Promise<StackTagged>;
}

/** A desired state with the stack's tags, and which of them were copied. */
export interface StackTagged {
  readonly desired: Desired;
  readonly copied: Readonly<Record<string, string>>;
}

/** The text in a key's description that names the request that created it. */
export function keyRequestToken(requestId: string): string {
  return `[Create request ${requestId}]`;
}

/**
 * Creates the repository under `desired`'s name, or adopts it when it is already ours. On
 * failure, removes what this request created and reports the name whenever something of ours
 * may remain, so the Delete that follows can clean it up.
 */
export async function createOrAdopt(tools: CreateTools, request: CreateRequest): Promise<ResourceOutcome> {
  const { settings, signal } = request;
  const desired = withKeyToken(request.desired, request.requestId);
  const journal = new Journal();
  const progress = { adopted: false, leftovers: false };
  try {
    let keyArn: string | undefined;
    try {
      keyArn = (await createInSteps(tools, request, desired, journal)).createdKeyArn;
    } catch (error) {
      if (!isNameTaken(error) || signal.aborted) throw error;
      tools.logger.info('A name is taken: checking whose it is (a duplicate delivery, a race, or someone else)', { error: awsErrorCode(error) });
      keyArn = await adoptAndConverge(tools, { ...request, desired }, journal, progress);
    }
    await sweepRetriedKeys(tools, journal, { owner: request.owner, settings, repositoryName: desired.repositoryName, token: keyRequestToken(request.requestId), inUse: keyArn, signal });
    return tools.outcome(desired, keyArn);
  } catch (error) {
    const remaining = await tools.compensate(journal.created, settings);
    const lostKeys = journal.uncertain.filter((entry) => entry.type === 'key').length;
    if (lostKeys > 0) await sweepLostKey(tools, request, lostKeys);
    reportUncertain(tools, request, journal);
    // The marker only when nothing of ours can be left: anything else keeps the name, so the
    // Delete that follows finds it by its tags.
    const clean = remaining.length === 0 && !progress.adopted && !progress.leftovers && !journal.mayHaveCreatedUnseen;
    throw tools.withPhysicalId(error, clean ? CREATE_FAILED_MARKER : desired.repositoryName);
  }
}

/**
 * planCreate's first step goes out while the stack's tags are being read; the steps after it
 * are planned with them (tags never change a plan's steps), and what the first step created
 * gets them in the step that follows anyway: no round trip more.
 */
async function createInSteps(tools: CreateTools, request: CreateRequest, desired: Desired, journal: Journal): Promise<RunState> {
  if (!request.stackTags) return tools.run(planCreate(desired), request.signal, journal);
  const [first = []] = planCreate(desired);
  const state = await tools.run([first], request.signal, journal);
  const tagged = await request.stackTags(desired);
  const [next = [], ...later] = planCreate(tagged.desired).slice(1);
  const late: Action[] = lateStackTagActions(first, desired, tagged.copied, state.createdKeyArn);
  return tools.run([[...next, ...late], ...later], request.signal, journal, state);
}

/** The desired state with the stack's tags, given what the repository carries now. */
async function withTagsOfStack(request: CreateRequest, desired: Desired, actual: Actual): Promise<Desired> {
  return request.stackTags ? (await request.stackTags(desired, actual.repository?.tags)).desired : desired;
}

/**
 * A name was taken. Observes, releases this request's key if the repository is not its own,
 * then converges, observing again each time a twin wins a name first. Returns the ARN of the
 * repository's actual key.
 *
 * @throws ConflictError when the repository, the alias or a parameter lock belongs to someone else.
 */
async function adoptAndConverge(tools: CreateTools, request: CreateRequest, journal: Journal, progress: { adopted: boolean; leftovers: boolean }): Promise<string | undefined> {
  const { desired, owner, signal } = request;
  let actual = await tools.observer.observe(tools.queryFor(desired), signal);
  await releaseLostLock(tools, request, journal, actual, progress);
  let lockWaits = 0;
  for (let round = 1; ; round++) {
    const foreign = foreignAliasKey(desired, actual, owner);
    if (foreign && desired.key) throw new ConflictError(foreignAliasMessage(desired.key.aliasName, foreign.arn, owner));
    let plan: Plan;
    try {
      plan = planConverge(await withTagsOfStack(request, desired, actual), actual, owner);
    } catch (error) {
      if (!(error instanceof ConflictError) || !holdsParameterLock(desired, actual, owner) || lockWaits >= PARAMETER_LOCK_ROUNDS) throw error;
      // We hold the stem's first parameter: the racer that wrote the others lost and removes them.
      lockWaits += 1;
      tools.logger.info('Waiting for a racing request to remove the parameters it wrote under our names', { round: lockWaits });
      await (tools.pause ?? backoff)(lockWaits, signal);
      actual = await tools.observer.observe(tools.queryFor(desired), signal);
      continue;
    }
    // Past planConverge, an existing repository is ours: adopted unless this request made it.
    progress.adopted = actual.repository !== undefined && !journal.has('repository', desired.repositoryName);
    try {
      const state = await tools.run(plan, signal, journal);
      return actual.repository?.kmsKeyArn ?? state.createdKeyArn ?? actual.aliasKey?.arn;
    } catch (error) {
      if (!isNameTaken(error) || signal.aborted || round >= CONVERGE_ROUNDS) throw error;
      // A twin wrote the same name a moment before us: look again and converge on what it wrote.
      actual = await tools.observer.observe(tools.queryFor(desired), signal);
    }
  }
}

/**
 * Runs `planConverge` toward `desired` and, when a twin delivery (the same request, at the same
 * time) wins a name first, observes again and converges on what the twin wrote: a duplicate
 * Update is convergence, never a failure. Returns the run's state and the last observation.
 */
export async function convergeDespiteTwins(
  tools: Pick<CreateTools, 'observer' | 'run' | 'queryFor'>,
  desired: Desired,
  owner: Owner,
  signal: AbortSignal,
  observed: Actual,
): Promise<{ readonly state: RunState; readonly actual: Actual }> {
  let actual = observed;
  for (let round = 1; ; round++) {
    try {
      return { state: await tools.run(planConverge(desired, actual, owner), signal, new Journal()), actual };
    } catch (error) {
      if (!isNameTaken(error) || signal.aborted || round >= CONVERGE_ROUNDS) throw error;
      actual = await tools.observer.observe(tools.queryFor(desired), signal);
    }
  }
}

/**
 * After the repository name turned out taken: the key this request made is used by nothing
 * unless the repository is encrypted with it (our own CreateRepository whose answer was lost
 * and whose retry found it). An unused key is scheduled for deletion; a used one means the
 * repository is this request's own.
 */
async function releaseLostLock(tools: CreateTools, request: CreateRequest, journal: Journal, actual: Actual, progress: { leftovers: boolean }): Promise<void> {
  const name = request.desired.repositoryName;
  if (journal.has('repository', name)) return;
  const keys = journal.created.filter((entry): entry is Extract<Created, { type: 'key' }> => entry.type === 'key');
  const repositoryKey = actual.repository?.kmsKeyArn;
  const own = keys.find((key) => key.arn === repositoryKey);
  if (own && actual.repository && isOwnedBy(actual.repository.tags, request.owner)) {
    journal.claim({ type: 'repository', name });
    return;
  }
  if (keys.length === 0) return;
  if ((await tools.compensate(keys, request.settings)).length > 0) progress.leftovers = true;
  journal.forget(keys);
}

/**
 * Two repositories whose parameter names collide (two apps, one base name) race for the
 * parameters too. The first of the stem's parameters (`_arn`) is the lock among them: its
 * holder waits for the others; whoever lost it fails and removes what it wrote.
 */
function holdsParameterLock(desired: Desired, actual: Actual, owner: Owner): boolean {
  if (actual.repository && !isOwnedBy(actual.repository.tags, owner)) return false;
  return belongsToRepository(actual.parameters[desired.parameters.arn.name]?.tags, owner, desired.repositoryName);
}

/**
 * An unanswered CreateKey may have made a key only this request could name. It is looked for by
 * the request's token in its description, and removed only when its tags prove it ours.
 */
async function sweepLostKey(tools: CreateTools, request: CreateRequest, unanswered: number): Promise<void> {
  const token = keyRequestToken(request.requestId);
  const where = { description: token, repository: request.desired.repositoryName };
  if (!tools.keyFinder) {
    tools.logger.error('A CreateKey went unanswered: a key may exist whose description contains this text; schedule its deletion by hand', where);
    return;
  }
  try {
    const signal = AbortSignal.timeout(10_000);
    const found = (await tools.keyFinder.findKeys(token, signal, { count: Math.max(1, unanswered) })).filter((key) => belongsToRepository(key.tags, request.owner, request.desired.repositoryName));
    const entries: Created[] = found.map((key) => ({ type: 'key', arn: key.arn }));
    const remaining = await tools.compensate(entries, request.settings);
    if (found.length === 0) {
      tools.logger.error('A CreateKey went unanswered and no key was found by its description (KMS may list it later): look for this text and schedule its deletion by hand', where);
    } else if (remaining.length === 0) {
      tools.logger.warn('A CreateKey went unanswered; the key it made was found by its description and scheduled for deletion', { ...where, keys: found.map((key) => key.arn) });
    }
  } catch (error) {
    tools.logger.error('A CreateKey went unanswered and the search for its key failed: look for this text and schedule its deletion by hand', { ...where, error: String(error) });
  }
}

/** Names, in the log, every create whose answer was lost, and who will clean it up. */
function reportUncertain(tools: CreateTools, request: CreateRequest, journal: Journal): void {
  const unseen = journal.uncertain.filter((entry) => entry.type !== 'key');
  if (unseen.length === 0) return;
  const details = { repository: request.desired.repositoryName, unanswered: unseen };
  if (request.replacing === undefined) {
    tools.logger.error(
      `Create calls went unanswered and may have taken effect; what they made carries this resource's ownership tags, and the Delete that follows (physical id ${request.desired.repositoryName}) removes it`,
      details,
    );
  } else {
    tools.logger.error(
      `Replacement of ${request.replacing} by ${request.desired.repositoryName}: create calls went unanswered and may have taken effect; no Delete follows a failed Update, so remove what exists under these names (tagged with this resource's ownership tags) by hand, or retry the Update`,
      details,
    );
  }
}

function isNameTaken(error: unknown): boolean {
  return NAME_TAKEN.has(awsErrorCode(error) ?? '');
}

/** The key's description names the request that creates it: its way back if the answer is lost. */
function withKeyToken(desired: Desired, requestId: string): Desired {
  if (!desired.key) return desired;
  return { ...desired, key: { ...desired.key, description: `${desired.key.description} ${keyRequestToken(requestId)}` } };
}

async function backoff(round: number, signal: AbortSignal): Promise<void> {
  const ms = Math.min(4_000, 200 * 2 ** (round - 1)) * (0.5 + Math.random() / 2);
  await delay(ms, undefined, { signal });
}
