import { planDelete } from '../../../handler/src/core/delete';
import type { Actual } from '../../../handler/src/core/model';
import { convergedActual, KEY_ARN, NOTHING, STRAY_KEY_ARN, withAliasKey, withParameter, withRepository } from '../../helpers/actual';
import { FOREIGN_OWNER, givenDesired, givenOwner, ownershipTags } from '../../helpers/given';

const owner = givenOwner();
const NAME = 'acme-shop-orders-api';
const ALIAS = 'alias/acme-shop-orders-api';
const remove = (actual: Actual) => planDelete(NAME, ALIAS, actual, owner, 30);

describe('planDelete', () => {
  it('deletes the repository, its parameters and alias first, then schedules the key, when all are ours', () => {
    const decision = remove(convergedActual(givenDesired({ useKmsKey: true })));
    expect(decision).toEqual({
      plan: [
        [
          { kind: 'ecr.deleteRepository', repositoryName: NAME },
          { kind: 'kms.deleteAlias', aliasName: ALIAS },
          { kind: 'ssm.deleteParameters', names: ['ECR_ORDERS_API_arn', 'ECR_ORDERS_API_kms_key_arn', 'ECR_ORDERS_API_name'] },
        ],
        [{ kind: 'kms.scheduleKeyDeletion', keyArn: KEY_ARN, pendingWindowInDays: 30 }],
      ],
    });
  });

  it('uses the configured deletion window when it schedules the key', () => {
    const decision = planDelete(NAME, ALIAS, convergedActual(givenDesired({ useKmsKey: true })), owner, 7);
    expect(decision.plan.flat()).toContainEqual({ kind: 'kms.scheduleKeyDeletion', keyArn: KEY_ARN, pendingWindowInDays: 7 });
  });

  it('deletes the repository and its parameters when there is no key', () => {
    expect(remove(convergedActual(givenDesired())).plan).toEqual([
      [
        { kind: 'ecr.deleteRepository', repositoryName: NAME },
        { kind: 'ssm.deleteParameters', names: ['ECR_ORDERS_API_arn', 'ECR_ORDERS_API_name'] },
      ],
    ]);
  });

  it('leaves a parameter tagged for another repository of the same resource (the replacement case)', () => {
    // GIVEN the replacing repository (new name, same base name) already took over the parameters
    const actual = withParameter(convergedActual(givenDesired()), 'ECR_ORDERS_API_name', { tags: ownershipTags(owner, 'acme-store-orders-api') });

    // WHEN the old one is deleted
    const decision = remove(actual);

    // THEN only the parameter still tagged for the old repository goes
    expect(decision.plan.flat()).toContainEqual({ kind: 'ssm.deleteParameters', names: ['ECR_ORDERS_API_arn'] });
  });

  it('leaves a parameter of another stack alone', () => {
    const actual = withParameter(convergedActual(givenDesired()), 'ECR_ORDERS_API_arn', { tags: ownershipTags(FOREIGN_OWNER, NAME) });
    expect(remove(actual).plan.flat()).toContainEqual({ kind: 'ssm.deleteParameters', names: ['ECR_ORDERS_API_name'] });
  });

  it('decides to touch nothing, and says why, when the repository is not ours', () => {
    const desired = givenDesired({ useKmsKey: true });
    const decision = remove(withRepository(convergedActual(desired), { tags: ownershipTags(FOREIGN_OWNER) }));
    expect(decision).toEqual({ plan: [], skipped: `repository ${NAME} exists but is not managed by this resource: left untouched` });
  });

  it('decides to touch nothing, and says why, when nothing exists', () => {
    expect(remove(NOTHING)).toEqual({ plan: [], skipped: `nothing managed by this resource exists for ${NAME}` });
  });

  it('does not schedule the key again when it is already pending deletion', () => {
    const actual = withAliasKey(convergedActual(givenDesired({ useKmsKey: true })), { state: 'PendingDeletion' });
    const kinds = remove(actual).plan.flat().map((action) => action.kind);
    expect(kinds).toEqual(['ecr.deleteRepository', 'kms.deleteAlias', 'ssm.deleteParameters']);
  });

  it('removes the alias and key of ours left by a failed Create when the repository is gone', () => {
    const desired = givenDesired({ useKmsKey: true });
    const actual = withAliasKey(NOTHING, { arn: KEY_ARN, state: 'Enabled', tags: desired.childTags });
    expect(remove(actual).plan).toEqual([[{ kind: 'kms.deleteAlias', aliasName: ALIAS }], [{ kind: 'kms.scheduleKeyDeletion', keyArn: KEY_ARN, pendingWindowInDays: 30 }]]);
  });

  it('leaves an alias and key of another repository alone when the repository is gone', () => {
    const actual = withAliasKey(NOTHING, { arn: KEY_ARN, state: 'Enabled', tags: ownershipTags(owner, 'acme-store-orders-api') });
    expect(remove(actual).plan).toEqual([]);
  });

  it('schedules both the repository’s key and a stray key of ours the alias names', () => {
    // GIVEN an interrupted Create left the alias on a second key of ours
    const desired = givenDesired({ useKmsKey: true });
    const actual: Actual = {
      ...withAliasKey(convergedActual(desired), { arn: STRAY_KEY_ARN, keyId: 'stray', state: 'Enabled', tags: desired.childTags }),
      repositoryKey: { keyId: 'k', arn: KEY_ARN, state: 'Enabled', tags: desired.childTags },
    };

    // WHEN deleting
    const last = remove(actual).plan.at(-1);

    // THEN both keys are scheduled, after the repository
    expect(last).toEqual([
      { kind: 'kms.scheduleKeyDeletion', keyArn: KEY_ARN, pendingWindowInDays: 30 },
      { kind: 'kms.scheduleKeyDeletion', keyArn: STRAY_KEY_ARN, pendingWindowInDays: 30 },
    ]);
  });

  it('leaves the repository’s key alone when its tags say it belongs to someone else', () => {
    const desired = givenDesired({ useKmsKey: true });
    const actual: Actual = { ...withAliasKey(convergedActual(desired), undefined), repositoryKey: { keyId: 'k', arn: KEY_ARN, state: 'Enabled', tags: ownershipTags(FOREIGN_OWNER) } };
    expect(remove(actual).plan.flat().map((action) => action.kind)).toEqual(['ecr.deleteRepository', 'ssm.deleteParameters']);
  });
});
