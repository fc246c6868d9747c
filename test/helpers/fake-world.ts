/**
 * An in-memory AWS account: ECR repositories, KMS keys and aliases, SSM parameters. It is both
 * the provider's Observer and its ActionRunner, so the provider and the core can be driven end
 * to end without the SDK: actions change the world, observations read it back.
 *
 * It models what the plans depend on, as the real services answer (and as the real runner
 * maps the answers): names already taken, "already gone" deletes as success, and the KMS key
 * states (a key pending deletion refuses tags, aliases and rotation; a disabled key refuses
 * rotation). The actions of one plan step run concurrently in the provider, so every action
 * checks the world as it was when the step started and changes it afterwards.
 */
import { OwnershipTag } from '../../handler/src/contract';
import { targetOf } from '../../handler/src/core/describe';
import type { Action, ActionKind, Actual, Environment, ObservedKey, Plan } from '../../handler/src/core/model';
import { AwsCallError } from '../../handler/src/errors';
import { type ActionResult, type ActionRunner, execute, Journal, type RunState } from '../../handler/src/provider/execute';
import type { ObservationQuery, Observer } from '../../handler/src/provider/provider';
import { awsError, prepare } from './fake-world-rules';
import { givenEnvironment, NEVER } from './given';

type Tags = Record<string, string>;

export { awsError };

/** A repository as the fake ECR holds it (mutable, so tests can drift it). */
export interface WorldRepository {
  name: string;
  arn: string;
  uri: string;
  encryptionType: 'AES256' | 'KMS';
  kmsKeyArn?: string;
  scanOnPush: boolean;
  imageTagMutability: string;
  exclusionFilters: string[];
  tags: Tags;
  lifecyclePolicy: string | null;
  repositoryPolicy: string | null;
}

/** A key as the fake KMS holds it. */
export interface WorldKey {
  keyId: string;
  arn: string;
  state: 'Enabled' | 'Disabled' | 'PendingDeletion';
  description: string;
  policy: string;
  rotation: boolean;
  tags: Tags;
  pendingWindowInDays?: number;
}

/** A parameter as the fake SSM holds it. */
export interface WorldParameter {
  name: string;
  value: string;
  tags: Tags;
}

/**
 * `full`: every detail is observed (key policy, rotation and tags), so a converged world plans
 * nothing. `like-sdk`: what AwsObserver reads: no key policy or rotation, key tags only when the
 * alias and the repository disagree about the key.
 */
export type ObservationMode = 'full' | 'like-sdk';


interface Failure {
  readonly matches: (action: Action) => boolean;
  readonly code: string;
  remaining: number;
}

/** One account's ECR, KMS and SSM, observed and changed through the provider's two seams. */
export class FakeWorld implements Observer, ActionRunner {
  readonly repositories = new Map<string, WorldRepository>();
  /** By key ARN. */
  readonly keys = new Map<string, WorldKey>();
  /** Alias name to key ARN. */
  readonly aliases = new Map<string, string>();
  readonly parameters = new Map<string, WorldParameter>();
  /** Every action the provider ran (or tried to), in order. */
  readonly calls: Action[] = [];
  /** Every observation the provider made. */
  readonly reads: ObservationQuery[] = [];
  private readonly failures: Failure[] = [];
  private nextKey = 1;

  constructor(
    readonly env: Environment = givenEnvironment(),
    public mode: ObservationMode = 'full',
  ) {}

  /** Makes matching actions fail with `code` (every time, or `times` times). */
  failWhen(match: ActionKind | ((action: Action) => boolean), code = 'ServerException', times = Number.POSITIVE_INFINITY): this {
    const matches = typeof match === 'string' ? (action: Action) => action.kind === match : match;
    this.failures.push({ matches, code, remaining: times });
    return this;
  }

  /** Runs a plan against the world, as the provider would. */
  async apply(plan: Plan): Promise<RunState> {
    return execute(plan, this, NEVER, new Journal());
  }

  /** The writes the provider made (every call is a write: reads go through `observe`). */
  kinds(): ActionKind[] {
    return this.calls.map((action) => action.kind);
  }

  // ------------------------------------------------------------------------------------
  // Building a world

  addRepository(name: string, fields: Partial<WorldRepository> = {}): WorldRepository {
    const repository: WorldRepository = {
      name,
      arn: this.repositoryArn(name),
      uri: `${this.env.account}.dkr.ecr.${this.env.region}.${this.env.urlSuffix}/${name}`,
      encryptionType: fields.kmsKeyArn ? 'KMS' : 'AES256',
      scanOnPush: true,
      imageTagMutability: 'MUTABLE',
      exclusionFilters: [],
      tags: {},
      lifecyclePolicy: null,
      repositoryPolicy: null,
      ...fields,
    };
    this.repositories.set(name, repository);
    return repository;
  }

  addKey(fields: Partial<WorldKey> = {}): WorldKey {
    const keyId = `00000000-0000-4000-8000-${String(this.nextKey++).padStart(12, '0')}`;
    const key: WorldKey = {
      keyId,
      arn: `arn:${this.env.partition}:kms:${this.env.region}:${this.env.account}:key/${keyId}`,
      state: 'Enabled',
      description: '',
      policy: '{}',
      rotation: false,
      tags: {},
      ...fields,
    };
    this.keys.set(key.arn, key);
    return key;
  }

  addParameter(name: string, value: string, tags: Tags = {}): WorldParameter {
    const parameter = { name, value, tags: { ...tags } };
    this.parameters.set(name, parameter);
    return parameter;
  }

  repositoryArn(name: string): string {
    return `arn:${this.env.partition}:ecr:${this.env.region}:${this.env.account}:repository/${name}`;
  }

  /** Keys not on their way out. */
  liveKeys(): WorldKey[] {
    return [...this.keys.values()].filter((key) => key.state !== 'PendingDeletion');
  }

  // ------------------------------------------------------------------------------------
  // Observer

  async observe(query: ObservationQuery): Promise<Actual> {
    this.reads.push(query);
    const found = this.repositories.get(query.repositoryName);
    const repository = found
      ? {
          name: found.name,
          arn: found.arn,
          uri: found.uri,
          encryptionType: found.encryptionType,
          ...(found.kmsKeyArn ? { kmsKeyArn: found.kmsKeyArn } : {}),
          scanOnPush: found.scanOnPush,
          imageTagMutability: found.imageTagMutability,
          exclusionFilters: [...found.exclusionFilters],
          tags: { ...found.tags },
          lifecyclePolicy: found.lifecyclePolicy,
          repositoryPolicy: found.repositoryPolicy,
        }
      : undefined;
    const aliasTarget = query.includeKey ? this.aliases.get(query.aliasName) : undefined;
    const aliasKeyRecord = aliasTarget === undefined ? undefined : this.keys.get(aliasTarget);
    const repositoryKeyArn = repository?.kmsKeyArn;
    const aliasKey = aliasKeyRecord && this.observeKey(aliasKeyRecord, this.mode === 'full' || repository === undefined || aliasKeyRecord.arn !== repositoryKeyArn);
    const repositoryKeyRecord = repositoryKeyArn !== undefined && aliasKeyRecord?.arn !== repositoryKeyArn ? this.keys.get(repositoryKeyArn) : undefined;
    const repositoryKey = repositoryKeyRecord && this.observeKey(repositoryKeyRecord, true);
    const parameters: Record<string, WorldParameter> = {};
    for (const name of query.parameterNames) {
      const parameter = this.parameters.get(name);
      if (parameter) parameters[name] = { name, value: parameter.value, tags: { ...parameter.tags } };
    }
    // As DescribeParameters filtered by the three ownership tags.
    const of = query.ownedParametersOf;
    const ownedParameterNames = of
      ? [...this.parameters.values()]
          .filter(({ tags }) => tags[OwnershipTag.StackId] === of.owner.stackId && tags[OwnershipTag.LogicalId] === of.owner.logicalId && tags[OwnershipTag.Repository] === of.repositoryName)
          .map(({ name }) => name)
          .sort()
      : undefined;
    const parameterKeyArn = query.keyParameterName === undefined ? undefined : parameters[query.keyParameterName]?.value;
    const parameterKeyRecord = parameterKeyArn !== undefined && aliasKeyRecord === undefined && repositoryKeyArn === undefined ? this.keys.get(parameterKeyArn) : undefined;
    const parameterKey = parameterKeyRecord && this.observeKey(parameterKeyRecord, true);
    return {
      ...(repository ? { repository } : {}),
      ...(aliasKey ? { aliasKey } : {}),
      ...(repositoryKey ? { repositoryKey } : {}),
      ...(parameterKey ? { parameterKey } : {}),
      parameters,
      ...(ownedParameterNames ? { ownedParameterNames } : {}),
    };
  }

  private observeKey(key: WorldKey, withTags: boolean): ObservedKey {
    const base = { keyId: key.keyId, arn: key.arn, state: key.state };
    if (this.mode === 'like-sdk') return withTags ? { ...base, tags: { ...key.tags } } : base;
    return { ...base, policy: key.policy, rotation: key.rotation, tags: { ...key.tags } };
  }

  // ------------------------------------------------------------------------------------
  // ActionRunner

  async run(action: Action, state: Readonly<RunState>): Promise<ActionResult | void> {
    this.calls.push(action);
    try {
      const failure = this.failures.find((candidate) => candidate.remaining > 0 && candidate.matches(action));
      if (failure) {
        failure.remaining -= 1;
        throw awsError(failure.code);
      }
      // Checked now, against the world as the step found it; applied once the step's other
      // actions were checked too (they run concurrently in the provider).
      const apply = prepare(this, action, state);
      await new Promise((resolve) => setImmediate(resolve));
      return apply();
    } catch (error) {
      throw new AwsCallError(action.kind, targetOf(action), error);
    }
  }
}
