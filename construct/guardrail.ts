import * as organizations from 'aws-cdk-lib/aws-organizations';
import { Construct } from 'constructs';
import {
  defaultBreakGlassPrincipalArns,
  defaultDeployerPrincipalArns,
  defaultProviderPrincipalArns,
  guardrailResourceControlPolicy,
  guardrailServiceControlPolicy,
  repositoryArnPatterns,
} from './guardrail-policy';

/** Props of {@link OrgEcrGuardrail}. */
export interface OrgEcrGuardrailProps {
  /** The organisation prefix of repository names and key aliases, as the provider has it. */
  readonly organizationPrefix: string;

  /**
   * Roots (`r-xxxx`), organizational units (`ou-...`) or accounts the policies are attached to.
   * Start with a test OU: a Deny in an SCP applies to every principal there but the exempt ones.
   */
  readonly targetIds: string[];

  /**
   * ARN patterns of the break-glass principals, exempt from every statement.
   *
   * @default - roles under the path `/org-ecr/break-glass/` in any account
   */
  readonly breakGlassPrincipalArns?: string[];

  /**
   * ARN patterns of the principals that deploy the provider: the only ones, with break-glass,
   * that may write roles under `/org-ecr/` and change the provider function.
   *
   * @default - the service-managed StackSets execution role (`stacksets-exec-*`) in any account
   */
  readonly deployerPrincipalArns?: string[];

  /**
   * ARN patterns of the provider role in every account.
   *
   * @default - roles under the provider's path `/org-ecr/provider/` in any account
   */
  readonly providerPrincipalArns?: string[];

  /**
   * ARN patterns of repositories anyone may still create outside the provider.
   *
   * @default - `arn:{partition}:ecr:*:*:repository/cdk-*`, the CDK bootstrap's container asset repositories
   */
  readonly exemptRepositoryArns?: string[];

  /**
   * Whether to also create the resource control policy (RCP). Needs RCPs enabled in the organisation.
   *
   * @default true
   */
  readonly resourceControlPolicy?: boolean;
}

/**
 * The organisation guardrail, deployed in the management account (or an Organizations
 * delegated administrator): an SCP, and an RCP, that keep every principal but the provider
 * role and break-glass from creating ECR repositories, from changing the tags, policies,
 * lifecycle and settings of organisation repositories, from writing `org-ecr:*` tags, and from
 * administering the provider's keys, aliases, role and function. See README "Guardrails".
 *
 * @example
 * new OrgEcrGuardrail(stack, 'Guardrail', { organizationPrefix: 'acme', targetIds: ['ou-abcd-11111111'] });
 */
export class OrgEcrGuardrail extends Construct {
  /** The service control policy. */
  public readonly serviceControlPolicy: organizations.CfnPolicy;
  /** The resource control policy, when created. */
  public readonly resourceControlPolicy?: organizations.CfnPolicy;

  /**
   * @param scope the management account's stack.
   * @param id the construct id.
   * @param props the organisation prefix, the targets and the exempt principals.
   */
  constructor(scope: Construct, id: string, props: OrgEcrGuardrailProps) {
    super(scope, id);
    const input = {
      organizationPrefix: props.organizationPrefix,
      providerPrincipalArns: props.providerPrincipalArns ?? defaultProviderPrincipalArns(),
      breakGlassPrincipalArns: props.breakGlassPrincipalArns ?? defaultBreakGlassPrincipalArns(),
      deployerPrincipalArns: props.deployerPrincipalArns ?? defaultDeployerPrincipalArns(),
      exemptRepositoryArns: props.exemptRepositoryArns ?? repositoryArnPatterns(['cdk-*']),
    };
    this.serviceControlPolicy = new organizations.CfnPolicy(this, 'ServiceControlPolicy', {
      name: 'org-ecr-repository-guardrail',
      description: 'Org::ECR::Repository: only the provider role (and break-glass) creates ECR repositories and changes organisation repositories, keys and org-ecr:* tags',
      type: 'SERVICE_CONTROL_POLICY',
      content: guardrailServiceControlPolicy(input),
      targetIds: props.targetIds,
    });
    if (props.resourceControlPolicy ?? true) {
      this.resourceControlPolicy = new organizations.CfnPolicy(this, 'ResourceControlPolicy', {
        name: 'org-ecr-repository-guardrail-resources',
        description: 'Org::ECR::Repository: organisation repositories and keys change only through the provider role (and break-glass), whoever the caller',
        type: 'RESOURCE_CONTROL_POLICY',
        content: guardrailResourceControlPolicy(input),
        targetIds: props.targetIds,
      });
    }
  }
}
