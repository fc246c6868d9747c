/**
 * From AWS calls the bundle made (recorded by the integration proxy) to the IAM requests AWS
 * authorises for them, with the condition keys AWS sets: `aws:RequestTag/*` and `aws:TagKeys`
 * from the request, `aws:ResourceTag/*` from the resource's tags at that moment, and for KMS
 * `kms:ResourceAliases`, `kms:RequestAlias`, `kms:CallerAccount`, `kms:ViaService`. The tags,
 * aliases and key policies are tracked through the recorded calls themselves (and their
 * answers), so a recording can be replayed offline.
 *
 * Derived requests are those AWS makes on the caller's behalf: tag-on-create authorisation,
 * and the KMS calls ECR makes with the caller's permissions for an encrypted repository.
 */
import type { PolicyDocument } from './iam-simulator';

/** One recorded call (a trimmed `AwsCall` of test/integ/aws-proxy.ts). */
export interface RecordedCall {
  readonly action: string;
  readonly body: Record<string, unknown>;
  readonly status?: number;
  readonly response?: Record<string, unknown>;
}

/** One bundle run: where, with which settings, and its calls in order. */
export interface RecordedRun {
  readonly account: string;
  readonly region: string;
  /** ORG_PREFIX, ORG_SSM_PARAMETER_PREFIX, ORG_PROVIDER_ROLE_ARN as the bundle had them. */
  readonly settings: Readonly<Record<string, string>>;
  readonly calls: readonly RecordedCall[];
}

/** One request to authorise, and the resource policy that applies to it. */
export interface DerivedRequest {
  readonly action: string;
  readonly resource: string;
  readonly context: Record<string, string | string[]>;
  /** The key policy for key resources; absent otherwise. */
  readonly resourcePolicy?: PolicyDocument;
  /** Why AWS authorises this (for explanations). */
  readonly because: string;
  /**
   * Set when the provider expects and handles a denial of this request (it skips what it may
   * not read): such a request is counted, never reported as a missing permission.
   */
  readonly mayBeDenied?: string;
}

interface KeyState {
  arn: string;
  tags: Record<string, string>;
  policy: PolicyDocument;
}

type Tags = Record<string, string>;

/** Tracks what the recorded calls did to tags, aliases and key policies. */
export class RecordedWorld {
  private readonly keys = new Map<string, KeyState>();
  private readonly aliases = new Map<string, string>();
  /** A ListKeys was recorded: the lost-key search is running (key-finder.ts). */
  private listedKeys = false;
  private readonly repositories = new Map<string, { tags: Tags; keyId?: string }>();
  private readonly parameters = new Map<string, Tags>();

  constructor(
    private readonly account: string,
    private readonly region: string,
  ) {}

  /** The IAM requests AWS authorises for `call`; then the world as the call left it. */
  requestsFor(call: RecordedCall): DerivedRequest[] {
    const [service] = call.action.split(':');
    if (call.action === 'ssm:DescribeParameters') return [{ action: call.action, resource: '*', context: {}, because: 'DescribeParameters (no resource)' }];
    if (call.action === 'cloudformation:DescribeStacks') return [this.describeStacks(call)];
    const requests = service === 'kms' ? this.kms(call) : service === 'ecr' ? this.ecr(call) : service === 'ssm' ? this.ssm(call) : undefined;
    if (requests === undefined) throw new Error(`no IAM mapping for ${call.action}: add one to test/helpers/iam-calls.ts`);
    return requests;
  }

  /** DescribeStacks of one stack (by name or id); without one it lists every stack (`*`). */
  private describeStacks(call: RecordedCall): DerivedRequest {
    const name = typeof call.body.StackName === 'string' ? call.body.StackName : undefined;
    const arn = name === undefined ? '*' : name.startsWith('arn:') ? name : `arn:aws:cloudformation:${this.region}:${this.account}:stack/${name}/00000000-0000-0000-0000-000000000000`;
    return { action: call.action, resource: arn, context: {}, because: 'DescribeStacks' };
  }

  // ---------------------------------------------------------------- KMS

  private defaultKeyPolicy(): PolicyDocument {
    return { Version: '2012-10-17', Statement: [{ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${this.account}:root` }, Action: 'kms:*', Resource: '*' }] };
  }

  private keyArn(keyId: string): string {
    return `arn:aws:kms:${this.region}:${this.account}:key/${keyId}`;
  }

  private aliasArn(alias: string): string {
    return `arn:aws:kms:${this.region}:${this.account}:${alias}`;
  }

  /** The key an id, ARN, alias name or alias ARN names, learning it from the answer when new. */
  private resolveKey(reference: string, call?: RecordedCall): string | undefined {
    const alias = /(alias\/.+)$/.exec(reference)?.[1];
    const id = alias !== undefined ? this.aliases.get(alias) : reference.replace(/^arn:[^:]+:kms:[^:]+:\d+:key\//, '');
    const answered = (call?.response?.KeyMetadata as { KeyId?: string; Arn?: string } | undefined) ?? undefined;
    const known = id ?? answered?.KeyId;
    if (known === undefined) return undefined;
    if (!this.keys.has(known)) this.keys.set(known, { arn: answered?.Arn ?? this.keyArn(known), tags: {}, policy: this.defaultKeyPolicy() });
    if (alias !== undefined && !this.aliases.has(alias)) this.aliases.set(alias, known);
    return known;
  }

  private keyRequest(action: string, keyId: string, because: string, extra: Record<string, string | string[]> = {}): DerivedRequest {
    const key = this.keys.get(keyId)!;
    const aliases = [...this.aliases].filter(([, target]) => target === keyId).map(([alias]) => alias);
    return {
      action,
      resource: key.arn,
      context: { ...resourceTags(key.tags), 'kms:ResourceAliases': aliases, 'kms:CallerAccount': this.account, ...extra },
      resourcePolicy: key.policy,
      because,
    };
  }

  private kms(call: RecordedCall): DerivedRequest[] {
    const body = call.body;
    const operation = call.action.slice('kms:'.length);
    const caller = { 'kms:CallerAccount': this.account };
    if (operation === 'CreateKey') {
      const tags = kmsTags(body.Tags);
      const created = call.response?.KeyMetadata as { KeyId?: string; Arn?: string } | undefined;
      const requests: DerivedRequest[] = [
        {
          action: 'kms:CreateKey',
          resource: '*',
          context: {
            ...requestTags(tags),
            ...caller,
            'kms:KeySpec': String(body.KeySpec ?? 'SYMMETRIC_DEFAULT'),
            'kms:KeyUsage': String(body.KeyUsage ?? 'ENCRYPT_DECRYPT'),
            'kms:KeyOrigin': String(body.Origin ?? 'AWS_KMS'),
            'kms:MultiRegion': String(body.MultiRegion ?? false),
            'kms:BypassPolicyLockoutSafetyCheck': String(body.BypassPolicyLockoutSafetyCheck ?? false),
          },
          because: 'CreateKey',
        },
      ];
      if (created?.KeyId !== undefined) {
        const arn = created.Arn ?? this.keyArn(created.KeyId);
        if (Object.keys(tags).length > 0) {
          // Tagging at creation is authorised by IAM alone: the new key's policy is not consulted.
          requests.push({ action: 'kms:TagResource', resource: arn, context: { ...requestTags(tags), ...caller }, resourcePolicy: this.defaultKeyPolicy(), because: 'CreateKey with Tags' });
        }
        const policy = typeof body.Policy === 'string' ? (JSON.parse(body.Policy) as PolicyDocument) : this.defaultKeyPolicy();
        this.keys.set(created.KeyId, { arn, tags, policy });
      }
      return requests;
    }
    if (operation === 'CreateAlias' || operation === 'UpdateAlias' || operation === 'DeleteAlias') {
      const alias = String(body.AliasName);
      const requests: DerivedRequest[] = [{ action: call.action, resource: this.aliasArn(alias), context: { ...caller }, because: `${operation} (the alias)` }];
      const previous = this.aliases.get(alias);
      if (previous !== undefined && operation !== 'CreateAlias') requests.push(this.keyRequest(call.action, previous, `${operation} (the key the alias pointed to)`));
      if (operation !== 'DeleteAlias') {
        const target = this.resolveKey(String(body.TargetKeyId));
        if (target !== undefined) requests.push(this.keyRequest(call.action, target, `${operation} (the new target key)`));
        if (target !== undefined && succeeded(call)) this.aliases.set(alias, target);
      } else if (succeeded(call)) this.aliases.delete(alias);
      return requests;
    }
    // Listing names no key: authorised on `*` (the lost-CreateKey search, key-finder.ts).
    if (operation === 'ListKeys') {
      this.listedKeys = true;
      return [{ action: call.action, resource: '*', context: { ...caller }, because: 'ListKeys' }];
    }
    const reference = String(body.KeyId ?? '');
    const viaAlias: Record<string, string> = /alias\//.test(reference) ? { 'kms:RequestAlias': /(alias\/.+)$/.exec(reference)![1]! } : {};
    // A key first seen in a DescribeKey after ListKeys is one the lost-key search probes: every
    // key of the account, most of them other teams'. Their denial is expected: the search skips
    // keys it may not describe (handler/src/adapters/key-finder.ts).
    const probed = operation === 'DescribeKey' && this.listedKeys && !this.keys.has(reference.replace(/^arn:[^:]+:kms:[^:]+:\d+:key\//, ''));
    const keyId = this.resolveKey(reference, call);
    if (keyId === undefined) return []; // an alias that names no key: KMS answers NotFound before any policy
    const extra: Record<string, string | string[]> = { ...viaAlias };
    if (operation === 'TagResource') Object.assign(extra, requestTags(kmsTags(body.Tags)));
    if (operation === 'UntagResource') extra['aws:TagKeys'] = (body.TagKeys as string[] | undefined) ?? [];
    if (operation === 'PutKeyPolicy') extra['kms:BypassPolicyLockoutSafetyCheck'] = String(body.BypassPolicyLockoutSafetyCheck ?? false);
    const request = this.keyRequest(call.action, keyId, operation, extra);
    if (succeeded(call)) this.applyKeyChange(operation, keyId, call);
    return [probed ? { ...request, mayBeDenied: 'a key the lost-key search probes; the search skips keys it may not describe' } : request];
  }

  private applyKeyChange(operation: string, keyId: string, call: RecordedCall): void {
    const key = this.keys.get(keyId)!;
    if (operation === 'TagResource') Object.assign(key.tags, kmsTags(call.body.Tags));
    if (operation === 'UntagResource') for (const tagKey of (call.body.TagKeys as string[] | undefined) ?? []) delete key.tags[tagKey];
    if (operation === 'PutKeyPolicy' && typeof call.body.Policy === 'string') key.policy = JSON.parse(call.body.Policy) as PolicyDocument;
    if (operation === 'ListResourceTags') Object.assign(key.tags, kmsTags(call.response?.Tags));
  }

  /** The KMS calls ECR makes with the caller's permissions on an encrypted repository's key. */
  private viaEcr(action: string, keyReference: string, because: string): DerivedRequest[] {
    const keyId = this.resolveKey(keyReference);
    if (keyId === undefined) return [];
    const viaService = { 'kms:ViaService': `ecr.${this.region}.amazonaws.com` };
    const grant: Record<string, string> = action === 'kms:CreateGrant' ? { 'kms:GrantIsForAWSResource': 'true' } : {};
    return [this.keyRequest(action, keyId, because, { ...viaService, ...grant })];
  }

  // ---------------------------------------------------------------- ECR

  private ecr(call: RecordedCall): DerivedRequest[] {
    const body = call.body;
    const operation = call.action.slice('ecr:'.length);
    const name = typeof body.repositoryName === 'string' ? body.repositoryName : typeof body.resourceArn === 'string' ? body.resourceArn.replace(/^.*:repository\//, '') : undefined;
    const names = name !== undefined ? [name] : Array.isArray(body.repositoryNames) ? (body.repositoryNames as string[]) : [];
    if (names.length === 0) throw new Error(`no IAM mapping for ${call.action} without a repository: add one to test/helpers/iam-calls.ts`);
    const account = typeof body.registryId === 'string' ? body.registryId : this.account;
    const arnOf = (repository: string) => `arn:aws:ecr:${this.region}:${account}:repository/${repository}`;
    const requests: DerivedRequest[] = [];
    for (const repository of names) {
      const state = this.repositories.get(repository) ?? { tags: {} };
      const context: Record<string, string | string[]> = { ...resourceTags(state.tags) };
      if (operation === 'CreateRepository' || operation === 'TagResource') Object.assign(context, requestTags(ecrTags(body.tags)));
      if (operation === 'UntagResource') context['aws:TagKeys'] = (body.tagKeys as string[] | undefined) ?? [];
      requests.push({ action: call.action, resource: arnOf(repository), context, because: operation });
      if (operation === 'CreateRepository') {
        const tags = ecrTags(body.tags);
        if (Object.keys(tags).length > 0) requests.push({ action: 'ecr:TagResource', resource: arnOf(repository), context: requestTags(tags), because: 'CreateRepository with tags' });
        const encryption = body.encryptionConfiguration as { encryptionType?: string; kmsKey?: string } | undefined;
        const keyId = encryption?.encryptionType === 'KMS' && encryption.kmsKey !== undefined ? this.resolveKey(encryption.kmsKey) : undefined;
        if (keyId !== undefined) {
          requests.push(...this.viaEcr('kms:DescribeKey', keyId, 'ECR reads the repository key'), ...this.viaEcr('kms:CreateGrant', keyId, 'ECR grants itself use of the repository key'));
        }
        if (succeeded(call)) this.repositories.set(repository, { tags, ...(keyId === undefined ? {} : { keyId }) });
      }
      if (operation === 'DeleteRepository' && state.keyId !== undefined) {
        requests.push(...this.viaEcr('kms:RetireGrant', state.keyId, 'ECR retires its grant on the repository key'));
      }
      if (succeeded(call)) this.applyRepositoryChange(operation, repository, call);
    }
    return requests;
  }

  private applyRepositoryChange(operation: string, repository: string, call: RecordedCall): void {
    const state = this.repositories.get(repository) ?? { tags: {} };
    this.repositories.set(repository, state);
    if (operation === 'TagResource') Object.assign(state.tags, ecrTags(call.body.tags));
    if (operation === 'UntagResource') for (const key of (call.body.tagKeys as string[] | undefined) ?? []) delete state.tags[key];
    if (operation === 'ListTagsForResource') Object.assign(state.tags, ecrTags(call.response?.tags));
    if (operation === 'DeleteRepository') this.repositories.delete(repository);
    if (operation === 'DescribeRepositories') {
      for (const described of (call.response?.repositories as { repositoryName?: string; encryptionConfiguration?: { kmsKey?: string } }[] | undefined) ?? []) {
        const keyId = described.encryptionConfiguration?.kmsKey === undefined ? undefined : this.resolveKey(described.encryptionConfiguration.kmsKey);
        if (described.repositoryName === repository && keyId !== undefined) state.keyId = keyId;
      }
    }
  }

  // ---------------------------------------------------------------- SSM

  private ssm(call: RecordedCall): DerivedRequest[] {
    const body = call.body;
    const operation = call.action.slice('ssm:'.length);
    // Listing by tag names no parameter: IAM authorises it on "*" (no resource-level permission exists).
    if (operation === 'DescribeParameters') return [{ action: call.action, resource: '*', context: {}, because: 'DescribeParameters by ownership tags' }];
    const names = typeof body.Name === 'string' ? [body.Name] : typeof body.ResourceId === 'string' ? [body.ResourceId] : Array.isArray(body.Names) ? (body.Names as string[]) : [];
    if (names.length === 0) throw new Error(`no IAM mapping for ${call.action} without a parameter name: add one to test/helpers/iam-calls.ts`);
    const requests: DerivedRequest[] = [];
    for (const name of names) {
      const arn = `arn:aws:ssm:${this.region}:${this.account}:parameter/${name.replace(/^\//, '')}`;
      const tags = this.parameters.get(name) ?? {};
      const context: Record<string, string | string[]> = { ...resourceTags(tags) };
      const given = kmsStyleTags(body.Tags);
      if (operation === 'PutParameter' || operation === 'AddTagsToResource') Object.assign(context, requestTags(given));
      if (operation === 'RemoveTagsFromResource') context['aws:TagKeys'] = (body.TagKeys as string[] | undefined) ?? [];
      requests.push({ action: call.action, resource: arn, context, because: operation });
      if (operation === 'PutParameter' && Object.keys(given).length > 0) {
        requests.push({ action: 'ssm:AddTagsToResource', resource: arn, context: { ...resourceTags(tags), ...requestTags(given) }, because: 'PutParameter with Tags' });
      }
      if (!succeeded(call)) continue;
      if (operation === 'PutParameter' || operation === 'AddTagsToResource') this.parameters.set(name, { ...tags, ...given });
      if (operation === 'RemoveTagsFromResource') for (const key of (body.TagKeys as string[] | undefined) ?? []) delete tags[key];
      if (operation === 'ListTagsForResource') this.parameters.set(name, { ...tags, ...kmsStyleTags(call.response?.TagList) });
      if (operation === 'DeleteParameters') this.parameters.delete(name);
    }
    return requests;
  }
}

const succeeded = (call: RecordedCall) => call.status === undefined || call.status < 300;

function resourceTags(tags: Tags): Record<string, string> {
  return Object.fromEntries(Object.entries(tags).map(([key, value]) => [`aws:ResourceTag/${key}`, value]));
}

function requestTags(tags: Tags): Record<string, string | string[]> {
  if (Object.keys(tags).length === 0) return {};
  return { ...Object.fromEntries(Object.entries(tags).map(([key, value]) => [`aws:RequestTag/${key}`, value])), 'aws:TagKeys': Object.keys(tags) };
}

const pairs = (list: unknown, key: string, value: string): Tags =>
  Object.fromEntries(((Array.isArray(list) ? list : []) as Record<string, unknown>[]).map((tag) => [String(tag[key]), String(tag[value] ?? '')]));
const kmsTags = (list: unknown) => pairs(list, 'TagKey', 'TagValue');
const ecrTags = (list: unknown) => pairs(list, 'Key', 'Value');
const kmsStyleTags = (list: unknown) => pairs(list, 'Key', 'Value');
