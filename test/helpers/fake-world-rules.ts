/**
 * What each action does to the fake world, as the real services answer it and as the real
 * runner maps the answers: names already taken fail, "already gone" deletes succeed, and KMS
 * key states refuse what KMS refuses (a key pending deletion: aliases, tags, rotation, enabling;
 * a disabled key: rotation). `prepare` checks against the world as it is and returns the
 * change, which the world applies once the whole step was checked (the steps' actions run
 * concurrently in the provider).
 */
import type { Action, KeyArnRef } from '../../handler/src/core/model';
import type { ActionResult, RunState } from '../../handler/src/provider/execute';
import type { FakeWorld, WorldKey, WorldParameter, WorldRepository } from './fake-world';

/** An error shaped like an SDK service exception (`name` is the error code). */
export function awsError(code: string, message = `simulated ${code}`): Error {
  return Object.assign(new Error(message), { name: code, $fault: 'client', $metadata: { httpStatusCode: 400 } });
}

/** Checks `action` against the world now; the returned function applies it. */
export function prepare(world: FakeWorld, action: Action, state: Readonly<RunState>): () => ActionResult | void {
  const none = () => undefined;
  switch (action.kind) {
    case 'kms.createKey':
      return () => ({ keyArn: world.addKey({ description: action.description, policy: action.policy, tags: { ...action.tags } }).arn });
    case 'kms.enableKeyRotation':
    case 'kms.disableKeyRotation': {
      const key = usableKey(world, resolve(action.key, state), { disabled: 'DisabledException' });
      return () => void (key.rotation = action.kind === 'kms.enableKeyRotation');
    }
    case 'kms.createAlias': {
      if (world.aliases.has(action.aliasName)) throw awsError('AlreadyExistsException');
      const key = usableKey(world, resolve(action.key, state));
      return () => void world.aliases.set(action.aliasName, key.arn);
    }
    case 'kms.updateAlias': {
      if (!world.aliases.has(action.aliasName)) throw awsError('NotFoundException');
      const key = usableKey(world, action.keyArn);
      return () => void world.aliases.set(action.aliasName, key.arn);
    }
    case 'kms.deleteAlias':
      return () => void world.aliases.delete(action.aliasName);
    case 'kms.putKeyPolicy': {
      const key = findKey(world, action.keyArn);
      return () => void (key.policy = action.policy);
    }
    case 'kms.cancelKeyDeletion': {
      const key = findKey(world, action.keyArn);
      if (key.state !== 'PendingDeletion') throw awsError('KMSInvalidStateException');
      return () => {
        key.state = 'Disabled';
        delete key.pendingWindowInDays;
      };
    }
    case 'kms.enableKey': {
      const key = usableKey(world, action.keyArn);
      return () => void (key.state = 'Enabled');
    }
    case 'kms.tagResource': {
      const key = usableKey(world, action.keyArn);
      return () => assignTags(key.tags, action.tags);
    }
    case 'kms.untagResource': {
      const key = usableKey(world, action.keyArn);
      return () => action.tagKeys.forEach((tagKey) => delete key.tags[tagKey]);
    }
    case 'kms.scheduleKeyDeletion': {
      const key = world.keys.get(action.keyArn);
      // The runner treats "already pending deletion" and "gone" as done.
      if (!key || key.state === 'PendingDeletion') return none;
      return () => {
        key.state = 'PendingDeletion';
        key.pendingWindowInDays = action.pendingWindowInDays;
      };
    }
    case 'ecr.createRepository': {
      if (world.repositories.has(action.repositoryName)) throw awsError('RepositoryAlreadyExistsException');
      const keyArn = action.key ? resolve(action.key, state) : undefined;
      if (keyArn !== undefined && world.keys.get(keyArn)?.state !== 'Enabled') throw awsError('KmsException');
      return () =>
        void world.addRepository(action.repositoryName, {
          tags: { ...action.tags },
          ...(keyArn ? { kmsKeyArn: keyArn } : {}),
          imageTagMutability: action.imageTagMutability ?? 'MUTABLE',
          exclusionFilters: [...(action.exclusionFilters ?? [])],
        });
    }
    case 'ecr.putImageTagMutability': {
      const repository = findRepository(world, action.repositoryName);
      return () => {
        repository.imageTagMutability = action.imageTagMutability;
        repository.exclusionFilters = [...action.exclusionFilters];
      };
    }
    case 'ecr.putImageScanningConfiguration': {
      const repository = findRepository(world, action.repositoryName);
      return () => void (repository.scanOnPush = true);
    }
    case 'ecr.putLifecyclePolicy': {
      const repository = findRepository(world, action.repositoryName);
      return () => void (repository.lifecyclePolicy = action.policy);
    }
    case 'ecr.deleteLifecyclePolicy': {
      const repository = world.repositories.get(action.repositoryName);
      return () => void (repository && (repository.lifecyclePolicy = null));
    }
    case 'ecr.setRepositoryPolicy': {
      const repository = findRepository(world, action.repositoryName);
      return () => void (repository.repositoryPolicy = action.policy);
    }
    case 'ecr.deleteRepositoryPolicy': {
      const repository = world.repositories.get(action.repositoryName);
      return () => void (repository && (repository.repositoryPolicy = null));
    }
    case 'ecr.tagResource': {
      const repository = findRepositoryByArn(world, action.repositoryArn);
      return () => assignTags(repository.tags, action.tags);
    }
    case 'ecr.untagResource': {
      const repository = findRepositoryByArn(world, action.repositoryArn);
      return () => action.tagKeys.forEach((tagKey) => delete repository.tags[tagKey]);
    }
    case 'ecr.deleteRepository':
      return () => void world.repositories.delete(action.repositoryName);
    case 'ssm.putParameter': {
      const existing = world.parameters.get(action.name);
      const value = 'text' in action.value ? action.value.text : resolve({ created: true }, state);
      if (action.tags) {
        if (existing) throw awsError('ParameterAlreadyExists');
        const tags = action.tags;
        return () => void world.addParameter(action.name, value, tags);
      }
      // Overwrite without a Type cannot create a parameter.
      if (!existing) throw awsError('ValidationException', 'A parameter type is required when you create a parameter.');
      return () => void (existing.value = value);
    }
    case 'ssm.addTagsToResource': {
      const parameter = findParameter(world, action.name);
      return () => assignTags(parameter.tags, action.tags);
    }
    case 'ssm.removeTagsFromResource': {
      const parameter = findParameter(world, action.name);
      return () => action.tagKeys.forEach((tagKey) => delete parameter.tags[tagKey]);
    }
    case 'ssm.deleteParameters':
      return () => action.names.forEach((name) => world.parameters.delete(name));
  }
}

function resolve(ref: KeyArnRef, state: Readonly<RunState>): string {
  if ('arn' in ref) return ref.arn;
  if (!state.createdKeyArn) throw new Error('The plan refers to a created key before creating it');
  return state.createdKeyArn;
}

function findKey(world: FakeWorld, arn: string): WorldKey {
  const key = world.keys.get(arn);
  if (!key) throw awsError('NotFoundException');
  return key;
}

/** A key that accepts management calls other than PutKeyPolicy and CancelKeyDeletion. */
function usableKey(world: FakeWorld, arn: string, refuse: { disabled?: string } = {}): WorldKey {
  const key = findKey(world, arn);
  if (key.state === 'PendingDeletion') throw awsError('KMSInvalidStateException', `${arn} is pending deletion.`);
  if (key.state === 'Disabled' && refuse.disabled) throw awsError(refuse.disabled, `${arn} is disabled.`);
  return key;
}

function findRepository(world: FakeWorld, name: string): WorldRepository {
  const repository = world.repositories.get(name);
  if (!repository) throw awsError('RepositoryNotFoundException');
  return repository;
}

function findRepositoryByArn(world: FakeWorld, arn: string): WorldRepository {
  const repository = [...world.repositories.values()].find((candidate) => candidate.arn === arn);
  if (!repository) throw awsError('RepositoryNotFoundException');
  return repository;
}

function findParameter(world: FakeWorld, name: string): WorldParameter {
  const parameter = world.parameters.get(name);
  if (!parameter) throw awsError('InvalidResourceId');
  return parameter;
}

/** Sets every tag as its own key (`__proto__` included), as AWS stores tag keys. */
function assignTags(target: Record<string, string>, tags: Readonly<Record<string, string>>): void {
  for (const [key, value] of Object.entries(tags)) Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
