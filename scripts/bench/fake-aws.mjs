/**
 * An AWS-compatible fake endpoint for the benchmark, served by node:http on 127.0.0.1 inside
 * the benchmark's own process: ECR, KMS and SSM over the awsJson1_1 protocol (dispatched on
 * X-Amz-Target), with just enough state for the provider's Create, Update and Delete to
 * behave as against AWS. It also takes the CloudFormation response PUTs, so one server is
 * both the AWS endpoint (AWS_ENDPOINT_URL) and the ResponseURL.
 *
 * Why in-process and not moto: the cold-start measurement must not include another
 * process's start, and the critical-path measurement needs an exact, configurable latency
 * and a log of when each call started and ended.
 *
 * Knobs (all changeable between scenarios through `fake.configure`):
 * - `latencyMs`: every AWS call is answered after this fixed delay;
 * - `throttleFraction`: this fraction of calls answers ThrottlingException (HTTP 400) on its
 *   first attempt (attempt number from the SDK's `amz-sdk-request` header); retries pass;
 * - `seed`: the throttling draws come from a seeded generator, so runs are repeatable.
 */
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';

// `require`, not `import`: on Node.js 22+ an ESM import of node:http builds its namespace by
// reading every export, including lazy getters that load undici (about 35 ms on Node 24).
// The fake must not pay that on the handler's behalf and hide it from the cold start.
const { createServer } = createRequire(import.meta.url)('node:http');

const TARGET_PREFIX = {
  AmazonEC2ContainerRegistry_V20150921: 'ecr',
  TrentService: 'kms',
  AmazonSSM: 'ssm',
};

/** A small seeded PRNG (mulberry32): repeatable throttling decisions. */
export function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class AwsError extends Error {
  constructor(type, message) {
    super(message);
    this.type = type;
  }
}

const now = () => performance.now();
const epochSeconds = () => Date.now() / 1000;
const toMap = (list, key = 'Key', value = 'Value') => Object.fromEntries((list ?? []).map((tag) => [tag[key], tag[value] ?? '']));
const fromMap = (map, key = 'Key', value = 'Value') => Object.entries(map).map(([k, v]) => ({ [key]: k, [value]: v }));

/**
 * Starts the fake on an ephemeral loopback port.
 *
 * @returns `{ url, responses, calls, configure, reset, close }`: `calls` is the log of AWS
 * calls (`{ service, operation, attempt, start, end, status, error }`, times from
 * performance.now()); `responses` the CloudFormation responses received, by request id.
 */
export async function startFakeAws(options = {}) {
  // The stack's own tags, which the provider copies onto the repository, key and parameters.
  const config = { latencyMs: 0, throttleFraction: 0, seed: 1, account: '123456789012', stackTags: { application: 'shop', 'aws:cloudformation:stack-name': 'bench' }, ...options };
  let random = seededRandom(config.seed);
  const calls = [];
  const responses = new Map();
  const waiters = new Map();
  const state = newState();

  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      if (req.method === 'PUT') return receiveResponse(req, res, body);
      if (String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) return void answerQuery(req, res, body);
      void answerAws(req, res, body);
    });
  });
  // The SDK keeps connections alive; a server default (5 s) shorter than the SDK's would
  // race it and reset sockets mid-request under load.
  server.keepAliveTimeout = 60_000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}`;

  function receiveResponse(req, res, body) {
    res.writeHead(200, { 'content-length': '0' });
    res.end();
    let parsed;
    try {
      parsed = JSON.parse(body);
    } catch {
      parsed = { Status: 'UNPARSEABLE', Reason: body.slice(0, 200) };
    }
    responses.set(parsed.RequestId, parsed);
    const waiter = waiters.get(parsed.RequestId);
    if (waiter) {
      waiters.delete(parsed.RequestId);
      waiter(parsed);
    }
  }

  /**
   * CloudFormation speaks the AWS query protocol (form in, XML out); the provider only calls
   * DescribeStacks, answered with `config.stackTags` for any stack id.
   */
  async function answerQuery(req, res, body) {
    const form = new URLSearchParams(body);
    const operation = form.get('Action') ?? '';
    const attempt = Number(/attempt=(\d+)/.exec(String(req.headers['amz-sdk-request'] ?? ''))?.[1] ?? 1);
    const entry = { service: 'cloudformation', operation, attempt, start: now(), end: 0, status: 200, error: undefined };
    calls.push(entry);
    const throttled = attempt === 1 && config.throttleFraction > 0 && random() < config.throttleFraction;
    if (config.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, config.latencyMs));
    const escape = (text) => String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    let text;
    if (throttled || operation !== 'DescribeStacks') {
      entry.status = 400;
      entry.error = throttled ? 'Throttling' : 'InvalidAction';
      text = `<ErrorResponse><Error><Type>Sender</Type><Code>${entry.error}</Code><Message>${throttled ? 'Rate exceeded' : `The fake does not implement ${escape(operation)}`}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`;
    } else {
      const stackId = form.get('StackName') ?? '';
      const tags = Object.entries(config.stackTags ?? {}).map(([key, value]) => `<member><Key>${escape(key)}</Key><Value>${escape(value)}</Value></member>`).join('');
      text =
        `<DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><DescribeStacksResult><Stacks><member>` +
        `<StackId>${escape(stackId)}</StackId><StackName>${escape(stackId.split('/')[1] ?? stackId)}</StackName><CreationTime>2026-01-01T00:00:00Z</CreationTime>` +
        `<StackStatus>CREATE_IN_PROGRESS</StackStatus><Tags>${tags}</Tags></member></Stacks></DescribeStacksResult>` +
        `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></DescribeStacksResponse>`;
    }
    res.writeHead(entry.status, { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(text) });
    res.end(text);
    entry.end = now();
  }

  async function answerAws(req, res, body) {
    const start = now();
    const target = String(req.headers['x-amz-target'] ?? '');
    const [prefix, operation = ''] = target.split('.');
    const service = TARGET_PREFIX[prefix] ?? 'unknown';
    const attempt = Number(/attempt=(\d+)/.exec(String(req.headers['amz-sdk-request'] ?? ''))?.[1] ?? 1);
    const region = /Credential=[^/]+\/\d+\/([^/]+)\//.exec(String(req.headers.authorization ?? ''))?.[1] ?? 'us-east-1';
    const entry = { service, operation, attempt, start, end: 0, status: 200, error: undefined };
    calls.push(entry);

    let status = 200;
    let payload;
    // Decide before the delay, act after it: a throttled call costs a round trip too.
    const throttled = attempt === 1 && config.throttleFraction > 0 && random() < config.throttleFraction;
    if (config.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, config.latencyMs));
    if (throttled) {
      status = 400;
      payload = { __type: 'ThrottlingException', message: 'Rate exceeded' };
    } else {
      try {
        const input = body === '' ? {} : JSON.parse(body);
        const handler = HANDLERS[service]?.[operation];
        if (!handler) throw new AwsError('UnknownOperationException', `The fake does not implement ${target}`);
        payload = handler(state, input, { account: config.account, region }) ?? {};
      } catch (error) {
        status = 400;
        payload = error instanceof AwsError ? { __type: error.type, message: error.message } : { __type: 'InternalFailure', message: String(error) };
        if (!(error instanceof AwsError)) status = 500;
      }
    }
    entry.status = status;
    entry.error = status === 200 ? undefined : payload.__type;
    const text = JSON.stringify(payload);
    res.writeHead(status, {
      'content-type': 'application/x-amz-json-1.1',
      'content-length': Buffer.byteLength(text),
      'x-amzn-requestid': randomUUID(),
    });
    res.end(text);
    entry.end = now();
  }

  return {
    url,
    calls,
    responses,
    state,
    /** Resolves with the CloudFormation response for `requestId` once it is PUT. */
    response(requestId) {
      const known = responses.get(requestId);
      if (known) return Promise.resolve(known);
      return new Promise((resolve) => waiters.set(requestId, resolve));
    },
    configure(changes) {
      Object.assign(config, changes);
      if ('seed' in changes) random = seededRandom(config.seed);
    },
    /** Forgets the call log (state stays). */
    resetCalls() {
      calls.length = 0;
    },
    close() {
      server.closeAllConnections?.();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Puts a repository straight into the fake's state, without a call: the set-up of a request
 * that finds one (the peer's Delete), so only the measured request's calls are made.
 */
export function seedRepository(state, { name, account = '123456789012', region = 'us-east-1', tags = {}, images = [] }) {
  state.repositories.set(name, {
    name,
    registryId: account,
    arn: `arn:aws:ecr:${region}:${account}:repository/${name}`,
    uri: `${account}.dkr.ecr.${region}.amazonaws.com/${name}`,
    createdAt: epochSeconds(),
    scanOnPush: false,
    imageTagMutability: 'MUTABLE',
    exclusionFilters: [],
    encryption: { encryptionType: 'AES256' },
    tags: { ...tags },
    lifecyclePolicy: null,
    policy: null,
    images: [...images],
  });
}

function newState() {
  return { repositories: new Map(), keys: new Map(), aliases: new Map(), parameters: new Map() };
}

// ---------------------------------------------------------------------------------------
// ECR

function repositoryByName(state, name) {
  const repository = state.repositories.get(name);
  if (!repository) throw new AwsError('RepositoryNotFoundException', `The repository with name '${name}' does not exist in the registry`);
  return repository;
}

function repositoryByArn(state, arn) {
  return repositoryByName(state, String(arn ?? '').split(':repository/')[1] ?? '');
}

function describeRepository(repository) {
  return {
    repositoryArn: repository.arn,
    registryId: repository.registryId,
    repositoryName: repository.name,
    repositoryUri: repository.uri,
    createdAt: repository.createdAt,
    imageTagMutability: repository.imageTagMutability,
    ...(repository.exclusionFilters.length > 0 ? { imageTagMutabilityExclusionFilters: repository.exclusionFilters } : {}),
    imageScanningConfiguration: { scanOnPush: repository.scanOnPush },
    encryptionConfiguration: repository.encryption,
  };
}

const ecr = {
  CreateRepository(state, input, { account, region }) {
    const name = input.repositoryName;
    if (state.repositories.has(name)) {
      throw new AwsError('RepositoryAlreadyExistsException', `The repository with name '${name}' already exists in the registry with id '${account}'`);
    }
    const encryption = input.encryptionConfiguration ?? { encryptionType: 'AES256' };
    if (encryption.encryptionType === 'KMS' && !findKey(state, encryption.kmsKey)) {
      throw new AwsError('KmsException', `KMS key ${encryption.kmsKey} not found`);
    }
    const repository = {
      name,
      registryId: account,
      arn: `arn:aws:ecr:${region}:${account}:repository/${name}`,
      uri: `${account}.dkr.ecr.${region}.amazonaws.com/${name}`,
      createdAt: epochSeconds(),
      scanOnPush: input.imageScanningConfiguration?.scanOnPush === true,
      imageTagMutability: input.imageTagMutability ?? 'MUTABLE',
      exclusionFilters: input.imageTagMutabilityExclusionFilters ?? [],
      encryption,
      tags: toMap(input.tags),
      lifecyclePolicy: null,
      policy: null,
    };
    state.repositories.set(name, repository);
    return { repository: describeRepository(repository) };
  },
  DescribeRepositories(state, input) {
    const names = input.repositoryNames ?? [...state.repositories.keys()];
    return { repositories: names.map((name) => describeRepository(repositoryByName(state, name))) };
  },
  ListTagsForResource(state, input) {
    return { tags: fromMap(repositoryByArn(state, input.resourceArn).tags) };
  },
  TagResource(state, input) {
    Object.assign(repositoryByArn(state, input.resourceArn).tags, toMap(input.tags));
    return {};
  },
  UntagResource(state, input) {
    const repository = repositoryByArn(state, input.resourceArn);
    for (const key of input.tagKeys ?? []) delete repository.tags[key];
    return {};
  },
  GetLifecyclePolicy(state, input) {
    const repository = repositoryByName(state, input.repositoryName);
    if (repository.lifecyclePolicy === null) throw new AwsError('LifecyclePolicyNotFoundException', 'Lifecycle policy does not exist for the repository');
    return { registryId: repository.registryId, repositoryName: repository.name, lifecyclePolicyText: repository.lifecyclePolicy, lastEvaluatedAt: epochSeconds() };
  },
  PutLifecyclePolicy(state, input) {
    const repository = repositoryByName(state, input.repositoryName);
    repository.lifecyclePolicy = input.lifecyclePolicyText;
    return { registryId: repository.registryId, repositoryName: repository.name, lifecyclePolicyText: repository.lifecyclePolicy };
  },
  DeleteLifecyclePolicy(state, input) {
    const repository = repositoryByName(state, input.repositoryName);
    if (repository.lifecyclePolicy === null) throw new AwsError('LifecyclePolicyNotFoundException', 'Lifecycle policy does not exist for the repository');
    const lifecyclePolicyText = repository.lifecyclePolicy;
    repository.lifecyclePolicy = null;
    return { registryId: repository.registryId, repositoryName: repository.name, lifecyclePolicyText };
  },
  GetRepositoryPolicy(state, input) {
    const repository = repositoryByName(state, input.repositoryName);
    if (repository.policy === null) throw new AwsError('RepositoryPolicyNotFoundException', 'Repository policy does not exist for the repository');
    return { registryId: repository.registryId, repositoryName: repository.name, policyText: repository.policy };
  },
  SetRepositoryPolicy(state, input) {
    const repository = repositoryByName(state, input.repositoryName);
    repository.policy = input.policyText;
    return { registryId: repository.registryId, repositoryName: repository.name, policyText: repository.policy };
  },
  DeleteRepositoryPolicy(state, input) {
    const repository = repositoryByName(state, input.repositoryName);
    if (repository.policy === null) throw new AwsError('RepositoryPolicyNotFoundException', 'Repository policy does not exist for the repository');
    const policyText = repository.policy;
    repository.policy = null;
    return { registryId: repository.registryId, repositoryName: repository.name, policyText };
  },
  PutImageTagMutability(state, input) {
    const repository = repositoryByName(state, input.repositoryName);
    repository.imageTagMutability = input.imageTagMutability;
    repository.exclusionFilters = input.imageTagMutabilityExclusionFilters ?? [];
    return { registryId: repository.registryId, repositoryName: repository.name, imageTagMutability: repository.imageTagMutability };
  },
  PutImageScanningConfiguration(state, input) {
    const repository = repositoryByName(state, input.repositoryName);
    repository.scanOnPush = input.imageScanningConfiguration?.scanOnPush === true;
    return { registryId: repository.registryId, repositoryName: repository.name, imageScanningConfiguration: { scanOnPush: repository.scanOnPush } };
  },
  // The peer (aws-cdk-lib's auto-delete-images handler) lists and deletes images on Delete.
  ListImages(state, input) {
    const repository = repositoryByName(state, input.repositoryName);
    return { imageIds: (repository.images ?? []).map((image) => ({ ...image })) };
  },
  BatchDeleteImage(state, input) {
    const repository = repositoryByName(state, input.repositoryName);
    const gone = new Set((input.imageIds ?? []).map((image) => image.imageDigest ?? image.imageTag));
    repository.images = (repository.images ?? []).filter((image) => !gone.has(image.imageDigest) && !gone.has(image.imageTag));
    return { imageIds: input.imageIds ?? [], failures: [] };
  },
  DeleteRepository(state, input) {
    const repository = repositoryByName(state, input.repositoryName);
    state.repositories.delete(repository.name);
    return { repository: describeRepository(repository) };
  },
};

// ---------------------------------------------------------------------------------------
// KMS

/** A key by id, key ARN, alias name or alias ARN; undefined when none matches. */
function findKey(state, keyId) {
  const id = String(keyId ?? '');
  const aliasMatch = /(?:^|:)(alias\/.+)$/.exec(id);
  if (aliasMatch) {
    const target = state.aliases.get(aliasMatch[1]);
    return target === undefined ? undefined : state.keys.get(target);
  }
  const bare = id.includes(':key/') ? id.slice(id.indexOf(':key/') + 5) : id;
  return state.keys.get(bare);
}

function keyOf(state, keyId) {
  const key = findKey(state, keyId);
  if (!key) throw new AwsError('NotFoundException', `Key '${keyId}' does not exist`);
  return key;
}

function keyMetadata(key) {
  return {
    AWSAccountId: key.account,
    KeyId: key.id,
    Arn: key.arn,
    CreationDate: key.createdAt,
    Enabled: key.state === 'Enabled',
    Description: key.description,
    KeyUsage: 'ENCRYPT_DECRYPT',
    KeyState: key.state,
    Origin: 'AWS_KMS',
    KeyManager: 'CUSTOMER',
    KeySpec: 'SYMMETRIC_DEFAULT',
    CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT',
    EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
    MultiRegion: false,
    ...(key.deletionDate ? { DeletionDate: key.deletionDate, PendingDeletionWindowInDays: key.pendingWindow } : {}),
  };
}

const kms = {
  CreateKey(state, input, { account, region }) {
    const id = randomUUID();
    const key = {
      id,
      account,
      arn: `arn:aws:kms:${region}:${account}:key/${id}`,
      createdAt: epochSeconds(),
      description: input.Description ?? '',
      policy: input.Policy ?? '',
      rotation: false,
      state: 'Enabled',
      tags: toMap(input.Tags, 'TagKey', 'TagValue'),
    };
    state.keys.set(id, key);
    return { KeyMetadata: keyMetadata(key) };
  },
  DescribeKey(state, input) {
    return { KeyMetadata: keyMetadata(keyOf(state, input.KeyId)) };
  },
  ListResourceTags(state, input) {
    return { Tags: fromMap(keyOf(state, input.KeyId).tags, 'TagKey', 'TagValue'), Truncated: false };
  },
  CreateAlias(state, input) {
    if (state.aliases.has(input.AliasName)) throw new AwsError('AlreadyExistsException', `An alias with the name ${input.AliasName} already exists`);
    state.aliases.set(input.AliasName, keyOf(state, input.TargetKeyId).id);
    return {};
  },
  UpdateAlias(state, input) {
    if (!state.aliases.has(input.AliasName)) throw new AwsError('NotFoundException', `Alias ${input.AliasName} does not exist`);
    state.aliases.set(input.AliasName, keyOf(state, input.TargetKeyId).id);
    return {};
  },
  DeleteAlias(state, input) {
    if (!state.aliases.delete(input.AliasName)) throw new AwsError('NotFoundException', `Alias ${input.AliasName} does not exist`);
    return {};
  },
  PutKeyPolicy(state, input) {
    keyOf(state, input.KeyId).policy = input.Policy;
    return {};
  },
  EnableKeyRotation(state, input) {
    keyOf(state, input.KeyId).rotation = true;
    return {};
  },
  DisableKeyRotation(state, input) {
    keyOf(state, input.KeyId).rotation = false;
    return {};
  },
  TagResource(state, input) {
    Object.assign(keyOf(state, input.KeyId).tags, toMap(input.Tags, 'TagKey', 'TagValue'));
    return {};
  },
  UntagResource(state, input) {
    const key = keyOf(state, input.KeyId);
    for (const tagKey of input.TagKeys ?? []) delete key.tags[tagKey];
    return {};
  },
  ScheduleKeyDeletion(state, input) {
    const key = keyOf(state, input.KeyId);
    if (key.state === 'PendingDeletion') throw new AwsError('KMSInvalidStateException', `${key.arn} is pending deletion.`);
    key.state = 'PendingDeletion';
    key.pendingWindow = input.PendingWindowInDays ?? 30;
    key.deletionDate = epochSeconds() + key.pendingWindow * 86_400;
    return { KeyId: key.arn, DeletionDate: key.deletionDate, KeyState: key.state, PendingWindowInDays: key.pendingWindow };
  },
  CancelKeyDeletion(state, input) {
    const key = keyOf(state, input.KeyId);
    if (key.state !== 'PendingDeletion') throw new AwsError('KMSInvalidStateException', `${key.arn} is not pending deletion.`);
    key.state = 'Disabled';
    delete key.deletionDate;
    return { KeyId: key.arn };
  },
  EnableKey(state, input) {
    const key = keyOf(state, input.KeyId);
    if (key.state === 'PendingDeletion') throw new AwsError('KMSInvalidStateException', `${key.arn} is pending deletion.`);
    key.state = 'Enabled';
    return {};
  },
};

// ---------------------------------------------------------------------------------------
// SSM

function parameterOf(state, name) {
  const parameter = state.parameters.get(name);
  if (!parameter) throw new AwsError('InvalidResourceId', `Parameter ${name} not found`);
  return parameter;
}

const ssm = {
  PutParameter(state, input, { account, region }) {
    const existing = state.parameters.get(input.Name);
    if (input.Overwrite && input.Tags?.length) {
      throw new AwsError('ValidationException', 'Invalid request: tags and overwrite can\'t be used together. To create a parameter with tags, please remove overwrite flag.');
    }
    if (existing && !input.Overwrite) throw new AwsError('ParameterAlreadyExists', 'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.');
    const parameter = existing ?? {
      name: input.Name,
      arn: `arn:aws:ssm:${region}:${account}:parameter${input.Name.startsWith('/') ? '' : '/'}${input.Name}`,
      type: input.Type ?? 'String',
      version: 0,
      tags: toMap(input.Tags),
    };
    parameter.value = input.Value;
    parameter.version += 1;
    parameter.modifiedAt = epochSeconds();
    state.parameters.set(input.Name, parameter);
    return { Version: parameter.version, Tier: 'Standard' };
  },
  GetParameters(state, input) {
    const names = input.Names ?? [];
    const found = names.filter((name) => state.parameters.has(name)).map((name) => state.parameters.get(name));
    return {
      Parameters: found.map((parameter) => ({
        Name: parameter.name,
        Type: parameter.type,
        Value: parameter.value,
        Version: parameter.version,
        LastModifiedDate: parameter.modifiedAt,
        ARN: parameter.arn,
        DataType: 'text',
      })),
      InvalidParameters: names.filter((name) => !state.parameters.has(name)),
    };
  },
  /** Tag filters only (`tag:KEY` Equals), as the provider lists its own parameters. */
  DescribeParameters(state, input) {
    const filters = input.ParameterFilters ?? [];
    const matches = [...state.parameters.values()].filter((parameter) =>
      filters.every((filter) => !filter.Key.startsWith('tag:') || (filter.Values ?? []).includes(parameter.tags[filter.Key.slice(4)])),
    );
    return { Parameters: matches.map((parameter) => ({ Name: parameter.name, Type: parameter.type, Version: parameter.version, LastModifiedDate: parameter.modifiedAt, ARN: parameter.arn, DataType: 'text' })) };
  },
  ListTagsForResource(state, input) {
    return { TagList: fromMap(parameterOf(state, input.ResourceId).tags) };
  },
  AddTagsToResource(state, input) {
    Object.assign(parameterOf(state, input.ResourceId).tags, toMap(input.Tags));
    return {};
  },
  RemoveTagsFromResource(state, input) {
    const parameter = parameterOf(state, input.ResourceId);
    for (const key of input.TagKeys ?? []) delete parameter.tags[key];
    return {};
  },
  DeleteParameters(state, input) {
    const names = input.Names ?? [];
    const deleted = names.filter((name) => state.parameters.delete(name));
    return { DeletedParameters: deleted, InvalidParameters: names.filter((name) => !deleted.includes(name)) };
  },
};

const HANDLERS = { ecr, kms, ssm };

/**
 * The number of sequential round trips in a call log: the longest chain of calls in which
 * each call starts after the previous one ended. Calls that overlap are one round.
 */
export function sequentialRounds(calls) {
  const sorted = [...calls].sort((a, b) => a.start - b.start);
  const depth = [];
  let longest = 0;
  sorted.forEach((call, index) => {
    let before = 0;
    for (let earlier = 0; earlier < index; earlier++) {
      if (sorted[earlier].end <= call.start) before = Math.max(before, depth[earlier]);
    }
    depth[index] = before + 1;
    longest = Math.max(longest, depth[index]);
  });
  return longest;
}
