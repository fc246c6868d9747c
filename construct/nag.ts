/**
 * Acknowledges, with their written reasons, the cdk-nag findings the provider's design makes
 * unavoidable, so a consumer's cdk-nag run stays clean without hiding anything else. Uses
 * only aws-cdk-lib's `Validations`: cdk-nag is not a dependency of this package.
 */
import * as cdk from 'aws-cdk-lib';
import { CfnResource, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { ProviderStatement } from './provider-policy';

/**
 * Acknowledges `AwsSolutions-IAM5[Resource::...]` for each wildcard resource of the
 * statements, with the statement's reason. The finding id is cdk-nag's rendering of the
 * resource: intrinsics flattened, `Ref X` as `<X>`, `GetAtt X.Y` as `<X.Y>`.
 */
export function acknowledgeWildcardResources(policy: IConstruct, statements: readonly ProviderStatement[]): void {
  const stack = Stack.of(policy);
  const reasons = new Map<string, string[]>();
  for (const { statement, why } of statements) {
    const sid = statement.sid ?? 'statement';
    for (const resource of statement.resources) {
      const flat = flattenReference(stack.resolve(resource));
      if (!flat.includes('*')) continue;
      const id = `AwsSolutions-IAM5[Resource::${flat}]`;
      reasons.set(id, [...(reasons.get(id) ?? []), `${sid}: ${why}`]);
    }
  }
  // `Validations` is in aws-cdk-lib from 2.25x on (2.256.0 has it, 2.250.0 not); our peer range starts lower.
  const validations = (cdk as { Validations?: typeof cdk.Validations }).Validations;
  if (validations !== undefined) {
    for (const [id, why] of reasons) validations.of(policy).acknowledge({ id, reason: why.join(' | ') });
    return;
  }
  acknowledgeForNagV2(policy, reasons);
}

/**
 * An aws-cdk-lib without `Validations` runs cdk-nag 2, which reads suppressions from the
 * `cdk_nag` metadata of the CloudFormation resource (what its `NagSuppressions` writes):
 * `AwsSolutions-IAM5[Resource::X]` becomes id `AwsSolutions-IAM5` applying to `Resource::X`.
 */
function acknowledgeForNagV2(policy: IConstruct, reasons: ReadonlyMap<string, string[]>): void {
  const resource = policy.node.defaultChild;
  if (!(resource instanceof CfnResource)) return;
  const rules = [...reasons].map(([id, why]) => {
    const match = /^([^[]+)\[(.+)\]$/.exec(id);
    return match ? { id: match[1], reason: why.join(' | '), applies_to: [match[2]] } : { id, reason: why.join(' | ') };
  });
  resource.addMetadata('cdk_nag', { rules_to_suppress: rules });
}

function flattenReference(node: unknown): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (typeof node === 'object' && node !== null) {
    const record = node as Record<string, unknown>;
    const join = record['Fn::Join'];
    if (Array.isArray(join)) return (join[1] as unknown[]).map(flattenReference).join(String(join[0]));
    if ('Fn::Sub' in record) return flattenReference(record['Fn::Sub']);
    const getAtt = record['Fn::GetAtt'];
    if (Array.isArray(getAtt)) return `<${flattenReference(getAtt[0])}.${flattenReference(getAtt[1])}>`;
    if ('Fn::ImportValue' in record) return flattenReference(record['Fn::ImportValue']);
    if ('Ref' in record) return `<${flattenReference(record.Ref)}>`;
  }
  return JSON.stringify(node);
}
