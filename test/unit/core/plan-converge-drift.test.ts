import type { Plan } from '../../../handler/src/core/model';
import { planConverge } from '../../../handler/src/core/plan';
import { convergedActual, KEY_ARN, STRAY_KEY_ARN, withAliasKey, withParameter, withRepository } from '../../helpers/actual';
import { FOREIGN_OWNER, givenDesired, givenOwner, ownershipTags } from '../../helpers/given';

const owner = givenOwner();
const NAME = 'acme-shop-orders-api';
const kinds = (plan: Plan) => plan.map((step) => step.map((action) => action.kind));

describe('planConverge drift repair', () => {
  const desired = givenDesired({ useKmsKey: true, imagesRetained: 10, shareableWithAllEnvs: true });
  const converged = convergedActual(desired);

  it('puts the lifecycle policy back when it was deleted by hand', () => {
    const plan = planConverge(desired, withRepository(converged, { lifecyclePolicy: null }), owner);
    expect(plan).toEqual([[{ kind: 'ecr.putLifecyclePolicy', repositoryName: NAME, policy: desired.lifecyclePolicy }]]);
  });

  it('turns scan on push back on when it was turned off', () => {
    const plan = planConverge(desired, withRepository(converged, { scanOnPush: false }), owner);
    expect(plan).toEqual([[{ kind: 'ecr.putImageScanningConfiguration', repositoryName: NAME }]]);
  });

  it('sets the repository policy again when it was deleted by hand', () => {
    const plan = planConverge(desired, withRepository(converged, { repositoryPolicy: null }), owner);
    expect(plan).toEqual([[{ kind: 'ecr.setRepositoryPolicy', repositoryName: NAME, policy: desired.repositoryPolicy }]]);
  });

  it('replaces a repository policy that was widened by hand', () => {
    const widened = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'ecr:*' }] });
    expect(kinds(planConverge(desired, withRepository(converged, { repositoryPolicy: widened }), owner))).toEqual([['ecr.setRepositoryPolicy']]);
  });

  it('plans nothing when AWS hands the policies back reformatted', () => {
    // GIVEN the same documents, pretty-printed, keys reordered, one-element lists as scalars
    const reformat = (text: string | undefined) => JSON.stringify(JSON.parse(text ?? '{}', (_key, value: unknown) => (Array.isArray(value) && value.length === 1 ? value[0] : value)), null, 2);
    const actual = withAliasKey(withRepository(converged, { lifecyclePolicy: reformat(desired.lifecyclePolicy), repositoryPolicy: reformat(desired.repositoryPolicy) }), { policy: reformat(desired.key?.policy) });
    expect(planConverge(desired, actual, owner)).toEqual([]);
  });

  it('creates a parameter again, with its tags, when it was deleted', () => {
    const plan = planConverge(desired, withParameter(converged, 'ECR_ORDERS_API_arn', undefined), owner);
    expect(plan).toEqual([[{ kind: 'ssm.putParameter', name: 'ECR_ORDERS_API_arn', value: { text: desired.repositoryArn }, tags: desired.childTags }]]);
  });

  it('overwrites a parameter without tags when its value was changed', () => {
    const plan = planConverge(desired, withParameter(converged, 'ECR_ORDERS_API_kms_key_arn', { value: 'arn:aws:kms:eu-west-1:111111111111:key/other' }), owner);
    expect(plan).toEqual([[{ kind: 'ssm.putParameter', name: 'ECR_ORDERS_API_kms_key_arn', value: { text: KEY_ARN } }]]);
  });

  it('creates the alias again when it is missing', () => {
    // GIVEN the alias is gone; the repository's key is read by its ARN instead
    const actual = { ...withAliasKey(converged, undefined), repositoryKey: converged.aliasKey! };
    const plan = planConverge(desired, actual, owner);
    expect(plan).toEqual([[{ kind: 'kms.createAlias', aliasName: 'alias/acme-shop-orders-api', key: { arn: KEY_ARN } }]]);
  });

  it('points the alias back and retires the stray key when the alias names another key of ours', () => {
    // GIVEN the alias names a key left by an interrupted Create; the repository uses KEY_ARN (read apart)
    const actual = {
      ...withAliasKey(converged, { arn: STRAY_KEY_ARN, keyId: 'stray', state: 'Enabled', tags: desired.childTags }),
      repositoryKey: converged.aliasKey!,
    };

    // WHEN converging
    const plan = planConverge(desired, actual, owner);

    // THEN the alias moves first; the stray key is scheduled for deletion afterwards
    expect(plan).toEqual([
      [{ kind: 'kms.updateAlias', aliasName: 'alias/acme-shop-orders-api', keyArn: KEY_ARN }],
      [{ kind: 'kms.scheduleKeyDeletion', keyArn: STRAY_KEY_ARN, pendingWindowInDays: 30 }],
    ]);
  });

  it('leaves the alias alone when it names a key that is not ours', () => {
    const actual = { ...withAliasKey(converged, { arn: STRAY_KEY_ARN, keyId: 'foreign', state: 'Enabled', tags: ownershipTags(FOREIGN_OWNER, NAME) }), repositoryKey: converged.aliasKey! };
    expect(planConverge(desired, actual, owner)).toEqual([]);
  });

  it('cancels the deletion and enables the key when the key was scheduled for deletion by hand', () => {
    const plan = planConverge(desired, withAliasKey(converged, { state: 'PendingDeletion' }), owner);
    expect(plan).toEqual([[{ kind: 'kms.cancelKeyDeletion', keyArn: KEY_ARN }], [{ kind: 'kms.enableKey', keyArn: KEY_ARN }]]);
  });

  it('enables the key when it was disabled by hand', () => {
    expect(planConverge(desired, withAliasKey(converged, { state: 'Disabled' }), owner)).toEqual([[{ kind: 'kms.enableKey', keyArn: KEY_ARN }]]);
  });

  // A key pending deletion refuses aliases, tags and rotation; a disabled key refuses rotation.
  it.each([
    ['pending deletion', 'PendingDeletion', [['kms.cancelKeyDeletion'], ['kms.enableKey']]],
    ['disabled', 'Disabled', [['kms.enableKey']]],
  ])('touches the key only once it is enabled again when it was %s and more needs repair', (_case, state, enabling) => {
    // GIVEN the key in that state, the alias missing, and its policy, rotation and tags not read
    const actual = withAliasKey(converged, undefined);
    const unread = { ...actual, repositoryKey: { keyId: 'k', arn: KEY_ARN, state } };

    // WHEN converging
    const plan = planConverge(desired, unread, owner);

    // THEN the key is brought back first, and everything else on it follows in a later step
    expect(kinds(plan)).toEqual([
      ...enabling,
      ['kms.createAlias', 'kms.putKeyPolicy', 'kms.disableKeyRotation', 'kms.tagResource'],
    ]);
  });

  it('re-asserts the key policy, rotation and tags when the observer did not read them', () => {
    const actual = withAliasKey(converged, { keyId: 'k', arn: KEY_ARN, state: 'Enabled', policy: undefined, rotation: undefined, tags: undefined });
    const plan = planConverge(desired, actual, owner);
    expect(plan).toEqual([
      [
        { kind: 'kms.putKeyPolicy', keyArn: KEY_ARN, policy: desired.key?.policy },
        { kind: 'kms.disableKeyRotation', key: { arn: KEY_ARN } },
        { kind: 'kms.tagResource', keyArn: KEY_ARN, tags: desired.childTags },
      ],
    ]);
  });
});
