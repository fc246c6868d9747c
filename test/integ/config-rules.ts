/**
 * The logic of the four AWS Config managed rules behind Security Hub's ECR controls, applied
 * to a repository as ECR and KMS describe it. Each rule is a pure function over what
 * {@link observeForRules} reads, so the same evaluation runs on what the integration suite
 * created in the AWS-compatible endpoint.
 *
 * The rules, as AWS documents them (AWS Config Developer Guide, managed rules):
 * - ecr-private-image-scanning-enabled (ECR.1): NON_COMPLIANT unless scan on push or continuous
 *   scanning is configured.
 * - ecr-private-tag-immutability-enabled (ECR.2): NON_COMPLIANT unless tag immutability is
 *   enabled; Security Hub documents the pass as the value IMMUTABLE. AWS documents nothing for
 *   IMMUTABLE_WITH_EXCLUSION, so it is judged NON_COMPLIANT here: the conservative reading.
 * - ecr-private-lifecycle-policy-configured (ECR.3): NON_COMPLIANT without a lifecycle policy.
 * - ecr-repository-cmk-encryption-enabled: NON_COMPLIANT with AES256 or the AWS-managed key
 *   `aws/ecr`; COMPLIANT with a customer-managed key.
 */
import { DescribeRepositoriesCommand, GetLifecyclePolicyCommand, type Repository } from '@aws-sdk/client-ecr';
import { DescribeKeyCommand } from '@aws-sdk/client-kms';
import { ecr, kms } from './harness';

export type Verdict = 'COMPLIANT' | 'NON_COMPLIANT';

/** What the rules look at. */
export interface RuleInput {
  readonly repository: Repository;
  readonly hasLifecyclePolicy: boolean;
  /** `CUSTOMER` or `AWS`, for a KMS-encrypted repository. */
  readonly keyManager?: string;
}

/** The four rules, by their Config identifiers, with the Security Hub control each backs. */
export const CONFIG_RULES = {
  'ecr-private-image-scanning-enabled': {
    control: 'ECR.1',
    evaluate: ({ repository }: RuleInput): Verdict => (repository.imageScanningConfiguration?.scanOnPush === true ? 'COMPLIANT' : 'NON_COMPLIANT'),
  },
  'ecr-private-tag-immutability-enabled': {
    control: 'ECR.2',
    evaluate: ({ repository }: RuleInput): Verdict => (repository.imageTagMutability === 'IMMUTABLE' ? 'COMPLIANT' : 'NON_COMPLIANT'),
  },
  'ecr-private-lifecycle-policy-configured': {
    control: 'ECR.3',
    evaluate: ({ hasLifecyclePolicy }: RuleInput): Verdict => (hasLifecyclePolicy ? 'COMPLIANT' : 'NON_COMPLIANT'),
  },
  'ecr-repository-cmk-encryption-enabled': {
    control: '(Config rule only)',
    evaluate: ({ repository, keyManager }: RuleInput): Verdict =>
      repository.encryptionConfiguration?.encryptionType?.startsWith('KMS') && keyManager === 'CUSTOMER' ? 'COMPLIANT' : 'NON_COMPLIANT',
  },
} as const;

export type ConfigRuleName = keyof typeof CONFIG_RULES;

/** Reads what the rules need for one repository from the endpoint. */
export async function observeForRules(name: string): Promise<RuleInput> {
  const described = await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [name] }));
  const repository = described.repositories?.[0];
  if (!repository) throw new Error(`repository ${name} does not exist`);
  const lifecycle = await ecr.send(new GetLifecyclePolicyCommand({ repositoryName: name })).catch((error: Error) => {
    if (error.name === 'LifecyclePolicyNotFoundException') return undefined;
    throw error;
  });
  const kmsKey = repository.encryptionConfiguration?.kmsKey;
  const keyManager = kmsKey ? (await kms.send(new DescribeKeyCommand({ KeyId: kmsKey }))).KeyMetadata?.KeyManager : undefined;
  return { repository, hasLifecyclePolicy: lifecycle?.lifecyclePolicyText !== undefined, ...(keyManager ? { keyManager } : {}) };
}

/** Every rule's verdict for one repository. */
export async function evaluate(name: string): Promise<Record<ConfigRuleName, Verdict>> {
  const input = await observeForRules(name);
  return Object.fromEntries(Object.entries(CONFIG_RULES).map(([rule, { evaluate: check }]) => [rule, check(input)])) as Record<ConfigRuleName, Verdict>;
}
