/**
 * The Org::ECR::Repository business handler: parse -> observe -> plan -> execute, for each
 * request type. Knows the core and the two I/O seams (observer, runner); not the SDK.
 */
import type { ExecutionContext, ResourceHandler, ResourceOutcome, ResourceRequest } from '../cfn/types';
import { Property, REPLACES_TAG, Setting } from '../contract';
import { planDelete } from '../core/delete';
import { desiredState, isReplacement, replacing, repositoryArnOf, resourceNames } from '../core/desired';
import { targetOf } from '../core/describe';
import type { Action, Actual, Desired, Environment, Owner } from '../core/model';
import { foreignAliasKey, foreignAliasMessage, planConverge } from '../core/plan';
import { withStackTags } from '../core/stack-tags';
import { InvalidPropertiesError, awsErrorCode } from '../errors';
import { withOrganisationDefaults } from '../props/defaults';
import { parseIdentity, parseProperties, parseRetainOnDelete, parseUpdateProperties, type RepositorySpec } from '../props/properties';
import { isRepositoryNameOf, keyAliasName, REPOSITORY_NAME_PATTERN } from '../props/rules';
import { entryOf } from '../records';
import { isOwnedBy } from '../core/ownership';
import { parseSettings, type Settings } from '../props/settings';
import { environmentOf, outcome, ownedLookups, ownedLookupsOf, queryFor, removedTagKeys, withPhysicalId } from './answers';
import { convergeDespiteTwins, createOrAdopt, type CreateTools, type KeyFinder, type StackTagged } from './create';
import { sharingProblems } from '../props/sharing';
import { type ActionRunner, compensationPlan, type Created, execute, Journal, type RunState } from './execute';
import type { ObservationQuery, Observer, ProviderLogger, StackTagReader } from './ports';

export type { ObservationQuery, Observer, ProviderLogger, StackTagReader } from './ports';
export { queryFor } from './answers';

export interface ProviderDeps {
  readonly observer: Observer;
  readonly runner: ActionRunner;
  readonly logger: ProviderLogger;
  /** Where the settings are read from on every request: the Lambda's environment. */
  readonly settings: () => Readonly<Record<string, string | undefined>>;
  /** Time compensation may take after the request's own signal was aborted. @default 10000 */
  readonly compensationTimeoutMs?: number;
  /** Finds a key whose CreateKey answer was lost. @default - such a key is only named in the log */
  readonly keyFinder?: KeyFinder;
  /** Where the stack's own tags come from. @default - none: no stack tags are copied */
  readonly stackTags?: StackTagReader;
}

/** The stack's tags, being read; `undefined` once they could not be read. */
type PendingStackTags = Promise<Readonly<Record<string, string>> | undefined>;

export function createRepositoryHandler(deps: ProviderDeps): ResourceHandler {
  const { logger } = deps;

  const onAction = (action: Action, outcome: 'ok' | 'failed', error?: unknown) => {
    const entry = { action: action.kind, target: targetOf(action), outcome, ...(error ? { error: awsErrorCode(error) ?? String(error) } : {}) };
    if (outcome === 'ok') logger.info('AWS call', entry);
    else logger.warn('AWS call failed', entry);
  };

  const run = (plan: readonly (readonly Action[])[], signal: AbortSignal, journal: Journal, state: RunState = {}) => execute(plan, deps.runner, signal, journal, state, onAction);

  /**
   * Removes what this request created (`entries`), giving it a second chance within the time
   * left for clean-up; returns what could not be removed, which stays tagged for the Delete
   * that follows and is named in the log.
   */
  async function compensate(entries: readonly Created[], settings: Settings): Promise<readonly Created[]> {
    if (entries.length === 0) return [];
    logger.warn('Removing what this request created', { created: entries });
    const signal = AbortSignal.timeout(deps.compensationTimeoutMs ?? 10_000);
    let lastError: unknown;
    for (let attempt = 1; attempt <= 2 && !signal.aborted; attempt++) {
      try {
        await run(compensationPlan(entries, settings.deletionWindowDays), signal, new Journal());
        return [];
      } catch (error) {
        lastError = error;
      }
    }
    logger.error('Could not remove everything this request created: it stays tagged with this resource’s ownership tags', {
      remaining: entries,
      error: String(lastError),
    });
    return entries;
  }

  /**
   * The stack's tags, read while the first step runs: `undefined` when they cannot be read
   * (denied, throttled past the SDK's retries). The provider then goes on without them rather
   * than fail a deployment, or its rollback, over tags copied from elsewhere; the
   * organisation's mandatory tags never depend on this read.
   */
  function readStackTags(stackId: string, signal: AbortSignal): PendingStackTags {
    if (!deps.stackTags) return Promise.resolve({});
    return deps.stackTags.read(stackId, signal).catch((error: unknown) => {
      logger.warn('Could not read the stack’s tags: going on without them (tags already on the repository stay)', { error: error instanceof Error ? error.message : String(error) });
      return undefined;
    });
  }

  /**
   * Puts the stack's tags, once read, under everyone else's on a desired state (see
   * withStackTags); `removedConsumerTags` are the keys an Update took out of `Tags`.
   */
  function stackTagging(pending: PendingStackTags, removedConsumerTags: readonly string[] = []) {
    return async (desired: Desired, actualRepositoryTags?: Readonly<Record<string, string>>): Promise<StackTagged> => {
      const result = withStackTags(desired, await pending, actualRepositoryTags, removedConsumerTags);
      if (result.skipped.length > 0) logger.info('Stack tags not copied', { skipped: result.skipped });
      return result;
    };
  }

  const createTools: CreateTools = {
    observer: deps.observer,
    logger,
    ...(deps.keyFinder ? { keyFinder: deps.keyFinder } : {}),
    run,
    compensate,
    queryFor,
    outcome,
    withPhysicalId,
  };

  /** An alias naming someone else's key is left alone on Update, and said so at error level. */
  function reportForeignAlias(desired: Desired, actual: Actual, owner: Owner): void {
    const foreign = foreignAliasKey(desired, actual, owner);
    if (!foreign || !desired.key) return;
    logger.error(`${foreignAliasMessage(desired.key.aliasName, foreign.arn, owner)} Left as is: the repository keeps using its own key.`, {
      alias: desired.key.aliasName,
      aliasKey: foreign.arn,
      repositoryKey: actual.repository?.kmsKeyArn,
    });
  }

  /**
   * The desired state of the repository `name`, judged against what exists: with `UseKmsKey`
   * left unsaid, an existing repository keeps the encryption it has (ECR fixes it at creation),
   * whatever ORG_REQUIRE_KMS_KEY says today, so an Update or a rollback never fails over a
   * setting changed since the repository was made. `lookups` adds reads that depend on the
   * desired state (this resource's parameters under other names).
   */
  async function observeJudged(
    spec: RepositorySpec,
    settings: Settings,
    env: Environment,
    owner: Owner,
    name: string,
    signal: AbortSignal,
    lookups: (desired: Desired) => Partial<ObservationQuery> = () => ({}),
  ): Promise<{ desired: Desired; actual: Actual }> {
    let desired = desiredState(spec, settings, env, owner, name);
    let actual = await deps.observer.observe({ ...queryFor(desired), ...lookups(desired) }, signal);
    const repository = actual.repository;
    if (spec.useKmsKeyDefaulted && repository && (repository.encryptionType !== 'AES256') !== spec.useKmsKey) {
      const hasKey = repository.encryptionType !== 'AES256';
      if (settings.requireKmsKey && !hasKey) {
        logger.warn(
          `${Setting.RequireKmsKey} is on, but repository ${repository.name} was created with AES256 and ECR cannot change that in place: it stays AES256 until it is replaced (a new ${Property.RepositoryBaseName})`,
        );
      }
      desired = desiredState({ ...spec, useKmsKey: hasKey }, settings, env, owner, name);
      // The key was not looked up for a repository expected without one: one more read, only here.
      if (hasKey) actual = await deps.observer.observe({ ...queryFor(desired), ...lookups(desired) }, signal);
    }
    return { desired, actual };
  }

  async function converge(
    spec: RepositorySpec,
    settings: Settings,
    env: Environment,
    owner: Owner,
    physicalId: string,
    signal: AbortSignal,
    tagging: ReturnType<typeof stackTagging>,
  ): Promise<ResourceOutcome> {
    const { desired, actual } = await observeJudged(spec, settings, env, owner, physicalId, signal, ownedLookupsOf(owner));
    reportForeignAlias(desired, actual, owner);
    const target = (await tagging(desired, actual.repository?.tags)).desired;
    const { state, actual: last } = await convergeDespiteTwins(createTools, target, owner, signal, actual);
    return outcome(desired, state.createdKeyArn ?? last.repository?.kmsKeyArn ?? last.aliasKey?.arn ?? actual.parameterKey?.arn);
  }

  /**
   * The rollback of a replacing Update: the repository under the physical id was made by that
   * Update (its `org-ecr:replaces` tag names the one it replaced) and the properties describe
   * the replaced one again. Converges that repository, ours and still there, and answers its
   * name, even when `ORG_PREFIX` changed so today's rules would name a new, empty one.
   * Undefined when this is no such rollback: the caller replaces as usual. One read more than
   * a plain replacement (the physical id's tags), on replacing Updates only.
   */
  async function returnToReplaced(
    spec: RepositorySpec,
    settings: Settings,
    env: Environment,
    owner: Owner,
    physicalId: string,
    signal: AbortSignal,
    tagging: ReturnType<typeof stackTagging>,
  ): Promise<ResourceOutcome | undefined> {
    if (!REPOSITORY_NAME_PATTERN.test(physicalId)) return undefined;
    const current = await deps.observer.observe(
      { repositoryName: physicalId, repositoryArn: repositoryArnOf(env, physicalId), aliasName: keyAliasName(physicalId), parameterNames: [], includeKey: false, includePolicies: false },
      signal,
    );
    const replaced = current.repository && isOwnedBy(current.repository.tags, owner) ? entryOf(current.repository.tags, REPLACES_TAG) : undefined;
    if (replaced === undefined || !isRepositoryNameOf(replaced, spec.applicationName, spec.baseName)) return undefined;
    // Its parameters under earlier names too (a parameter prefix changed since): moved, as an in-place Update moves them.
    const { desired, actual } = await observeJudged(spec, settings, env, owner, replaced, signal, ownedLookupsOf(owner));
    if (!actual.repository || !isOwnedBy(actual.repository.tags, owner)) {
      logger.info('The repository this one replaced is gone or not ours: replacing as usual', { replaced });
      return undefined;
    }
    logger.info('Update returns to the repository the physical id replaced (a rollback); CloudFormation deletes the newer one afterwards', {
      from: physicalId,
      to: replaced,
    });
    const target = (await tagging(desired, actual.repository.tags)).desired;
    const state = await run(planConverge(target, actual, owner), signal, new Journal());
    return outcome(desired, state.createdKeyArn ?? actual.repository.kmsKeyArn ?? actual.aliasKey?.arn);
  }

  async function remove(request: ResourceRequest, settings: Settings, owner: Owner, signal: AbortSignal): Promise<ResourceOutcome> {
    const physicalId = request.physicalResourceId ?? '';
    const done = { physicalResourceId: physicalId };
    // Ownership tags decide what is ours, not today's prefix: a repository made before the
    // platform changed ORG_PREFIX is still ours to delete.
    if (!REPOSITORY_NAME_PATTERN.test(physicalId)) {
      logger.info('The physical id names no repository of ours: nothing to delete', { physicalResourceId: physicalId });
      return done;
    }
    if (parseRetainOnDelete(request.properties)) {
      logger.info('RetainOnDelete is true: the repository, its images, key and parameters stay', { physicalResourceId: physicalId });
      return done;
    }
    // The repository name is the physical id; the parameter names come from the base name.
    const identity = parseIdentity(request.properties);
    if (!identity) logger.warn('The deleted resource’s names do not parse: deleting the repository and its key only');
    const names = identity ? resourceNames(identity, settings, physicalId) : undefined;
    const env = environmentOf(request);
    const actual = await deps.observer.observe(
      {
        repositoryName: physicalId,
        repositoryArn: repositoryArnOf(env, physicalId),
        aliasName: keyAliasName(physicalId),
        parameterNames: names ? [names.arnParameter, names.nameParameter, names.kmsKeyArnParameter] : [],
        // UseKmsKey left unsaid: the key the organisation's setting gave it, if any.
        includeKey: identity ? (identity.useKmsKeyDefaulted ? settings.requireKmsKey : identity.useKmsKey) : true,
        includePolicies: false,
        ...ownedLookups(physicalId, owner, names?.kmsKeyArnParameter),
      },
      signal,
    );
    const decision = planDelete(physicalId, keyAliasName(physicalId), actual, owner, settings.deletionWindowDays);
    if (decision.skipped) logger.info(`Delete: ${decision.skipped}`);
    await run(decision.plan, signal, new Journal());
    return done;
  }

  return async (request: ResourceRequest, context: ExecutionContext): Promise<ResourceOutcome> => {
    const settings = parseSettings(deps.settings());
    const owner: Owner = { stackId: request.stackId, logicalId: request.logicalResourceId };
    const { signal } = context;

    if (request.requestType === 'Delete') return remove(request, settings, owner, signal);

    const env = environmentOf(request);

    if (request.requestType === 'Create') {
      const spec = withOrganisationDefaults(parseProperties(request.properties, settings.mandatoryTags), settings, true);
      const unshareable = sharingProblems(spec, settings.organizationId);
      if (unshareable.length > 0) throw new InvalidPropertiesError(unshareable);
      const desired = desiredState(spec, settings, env, owner);
      context.claimPhysicalId(desired.repositoryName);
      const stackTags = stackTagging(readStackTags(request.stackId, signal));
      return createOrAdopt(createTools, { desired, settings, owner, signal, requestId: request.requestId, stackTags });
    }

    // Update, in either direction (a rollback sends the deployed properties back): the
    // organisation's tags win over a consumer's, with a warning, rather than failing.
    const { spec: parsed, notices } = parseUpdateProperties(request.properties, settings.mandatoryTags);
    for (const notice of notices) logger.warn(`Update: ${notice}`);
    const spec = withOrganisationDefaults(parsed, settings, false);
    // Sharing the settings do not allow (no ORG_ORGANIZATION_ID, a unit of another organisation)
    // is left out with a warning, never refused: the deployed properties may have asked for it
    // under earlier settings, and their rollback must succeed (as with mandatory tags). A Create
    // refuses it; the CDK construct refuses it at synth against a provider in the same app.
    for (const problem of sharingProblems(spec, settings.organizationId)) logger.warn(`Update: not shared: ${problem}`);
    // Replacement: the new properties no longer describe the repository the physical id names.
    // Judged by the physical id (what exists), not by OldResourceProperties alone: a new prefix
    // setting or naming rule never renames (and so never deletes) a live repository, and the
    // rollback of a refused Update stays in place.
    const physicalId = request.physicalResourceId ?? '';
    const renamed = isReplacement(physicalId, spec, parseIdentity(request.oldProperties), settings.organizationPrefix);
    // Read while the first reads or writes are in flight: no round trip more.
    const stackTags = stackTagging(readStackTags(request.stackId, signal), renamed ? [] : removedTagKeys(request.oldProperties, spec.tags));
    if (renamed) {
      const returned = await returnToReplaced(spec, settings, env, owner, physicalId, signal, stackTags);
      if (returned) return returned;
      // A new repository: ORG_REQUIRE_KMS_KEY applies to it as to a Create.
      const desired = replacing(desiredState(withOrganisationDefaults(parsed, settings, true), settings, env, owner), physicalId);
      logger.info('Update replaces the repository: creating the new one; CloudFormation deletes the old one afterwards', {
        from: physicalId,
        to: desired.repositoryName,
      });
      return createOrAdopt(createTools, { desired, settings, owner, signal, requestId: request.requestId, replacing: physicalId, stackTags });
    }
    // A UseKmsKey change under the same name is judged by converge against the repository's
    // actual encryption, never against OldResourceProperties: the rollback of a refused flip
    // asks for what exists, and converges.
    return converge(spec, settings, env, owner, physicalId, signal, stackTags);
  };
}
