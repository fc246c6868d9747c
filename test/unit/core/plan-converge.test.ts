import type { Action, Plan } from '../../../handler/src/core/model';
import { planConverge } from '../../../handler/src/core/plan';
import { convergedActual, KEY_ARN, withRepository } from '../../helpers/actual';
import { DEV_ACCOUNT, givenDesired, givenOwner, OWNER_ACCOUNT, PROD_ACCOUNT } from '../../helpers/given';

const owner = givenOwner();
const REPOSITORY_ARN = `arn:aws:ecr:eu-west-1:${OWNER_ACCOUNT}:repository/acme-shop-orders-api`;
const PARAMETERS = ['ECR_ORDERS_API_arn', 'ECR_ORDERS_API_name'];
const kinds = (plan: Plan) => plan.map((step) => step.map((action) => action.kind));
const only = (plan: Plan, kind: Action['kind']) => plan.flat().filter((action) => action.kind === kind);

describe('planConverge in place', () => {
  it.each([
    ['without a key', {}],
    ['with a key, sharing and retention', { useKmsKey: true, shareableWithAllEnvs: true, imagesRetained: 5 }],
  ])('plans nothing when the repository %s is as desired', (_case, spec) => {
    const desired = givenDesired(spec);
    expect(planConverge(desired, convergedActual(desired), owner)).toEqual([]);
  });

  describe('ImagesRetained', () => {
    it('puts the lifecycle policy when ImagesRetained is set', () => {
      // GIVEN a repository without lifecycle policy and a desired retention of 10
      const desired = givenDesired({ imagesRetained: 10 });
      const actual = convergedActual(givenDesired());

      // WHEN converging
      const plan = planConverge(desired, actual, owner);

      // THEN exactly the lifecycle policy is written
      expect(plan).toEqual([[{ kind: 'ecr.putLifecyclePolicy', repositoryName: 'acme-shop-orders-api', policy: desired.lifecyclePolicy }]]);
    });

    it('replaces the lifecycle policy when ImagesRetained changes', () => {
      const desired = givenDesired({ imagesRetained: 10 });
      const plan = planConverge(desired, convergedActual(givenDesired({ imagesRetained: 5 })), owner);
      expect(plan).toEqual([[{ kind: 'ecr.putLifecyclePolicy', repositoryName: 'acme-shop-orders-api', policy: desired.lifecyclePolicy }]]);
    });

    it("deletes the lifecycle policy when ImagesRetained is removed under the seed's settings (no untagged rule)", () => {
      const seed = { untaggedImageExpiryDays: undefined };
      const plan = planConverge(givenDesired({}, seed), convergedActual(givenDesired({ imagesRetained: 5 }, seed)), owner);
      expect(plan).toEqual([[{ kind: 'ecr.deleteLifecyclePolicy', repositoryName: 'acme-shop-orders-api' }]]);
    });

    it('keeps the untagged rule alone when ImagesRetained is removed under the default settings', () => {
      const desired = givenDesired();
      const plan = planConverge(desired, convergedActual(givenDesired({ imagesRetained: 5 })), owner);
      expect(plan).toEqual([[{ kind: 'ecr.putLifecyclePolicy', repositoryName: 'acme-shop-orders-api', policy: desired.lifecyclePolicy }]]);
    });
  });

  describe('ShareableWithAllEnvs', () => {
    it('sets the repository policy when sharing is turned on', () => {
      const desired = givenDesired({ shareableWithAllEnvs: true });
      const plan = planConverge(desired, convergedActual(givenDesired()), owner);
      expect(plan).toEqual([[{ kind: 'ecr.setRepositoryPolicy', repositoryName: 'acme-shop-orders-api', policy: desired.repositoryPolicy }]]);
    });

    it('deletes the repository policy when sharing is turned off', () => {
      const plan = planConverge(givenDesired(), convergedActual(givenDesired({ shareableWithAllEnvs: true })), owner);
      expect(plan).toEqual([[{ kind: 'ecr.deleteRepositoryPolicy', repositoryName: 'acme-shop-orders-api' }]]);
    });

    it.each([
      ['on', false, true],
      ['off', true, false],
    ])('makes the key policy follow when sharing is turned %s with a key', (_case, before, after) => {
      const desired = givenDesired({ useKmsKey: true, shareableWithAllEnvs: after });
      const plan = planConverge(desired, convergedActual(givenDesired({ useKmsKey: true, shareableWithAllEnvs: before })), owner);
      expect(kinds(plan)).toEqual([[after ? 'ecr.setRepositoryPolicy' : 'ecr.deleteRepositoryPolicy', 'kms.putKeyPolicy']]);
      expect(only(plan, 'kms.putKeyPolicy')).toEqual([{ kind: 'kms.putKeyPolicy', keyArn: KEY_ARN, policy: desired.key?.policy }]);
    });

    it('grants a new environment account when the settings gained one since', () => {
      // GIVEN a shared repository whose policy names dev and prod; the platform added qa
      const actual = convergedActual(givenDesired({ useKmsKey: true, shareableWithAllEnvs: true }));
      const desired = givenDesired(
        { useKmsKey: true, shareableWithAllEnvs: true },
        { environmentAccounts: { dev: DEV_ACCOUNT, prod: PROD_ACCOUNT, qa: '444444444444', tools: OWNER_ACCOUNT } },
      );

      // WHEN converging
      const plan = planConverge(desired, actual, owner);

      // THEN both the repository and the key policy name the new account
      expect(kinds(plan)).toEqual([['ecr.setRepositoryPolicy', 'kms.putKeyPolicy']]);
      for (const action of plan.flat()) expect(JSON.stringify(action)).toContain('arn:aws:iam::444444444444:root');
    });
  });

  describe('Tags', () => {
    it('tags the repository, the key and every parameter when a tag is added', () => {
      const desired = givenDesired({ useKmsKey: true, tags: { team: 'payments' } });
      const plan = planConverge(desired, convergedActual(givenDesired({ useKmsKey: true })), owner);
      expect(plan).toEqual([
        [
          { kind: 'ecr.tagResource', repositoryArn: REPOSITORY_ARN, tags: { team: 'payments' } },
          { kind: 'kms.tagResource', keyArn: KEY_ARN, tags: { team: 'payments' } },
          ...[...PARAMETERS, 'ECR_ORDERS_API_kms_key_arn'].map((name) => ({ kind: 'ssm.addTagsToResource', name, tags: { team: 'payments' } })),
        ],
      ]);
    });

    it('rewrites only the changed tag when a value changes', () => {
      const desired = givenDesired({ tags: { team: 'payments', tier: 'gold' } });
      const plan = planConverge(desired, convergedActual(givenDesired({ tags: { team: 'payments', tier: 'silver' } })), owner);
      expect(plan).toEqual([
        [
          { kind: 'ecr.tagResource', repositoryArn: REPOSITORY_ARN, tags: { tier: 'gold' } },
          ...PARAMETERS.map((name) => ({ kind: 'ssm.addTagsToResource', name, tags: { tier: 'gold' } })),
        ],
      ]);
    });

    it('untags the repository, the key and every parameter when a tag is removed', () => {
      const desired = givenDesired({ useKmsKey: true });
      const plan = planConverge(desired, convergedActual(givenDesired({ useKmsKey: true, tags: { team: 'payments' } })), owner);
      expect(plan).toEqual([
        [
          { kind: 'ecr.untagResource', repositoryArn: REPOSITORY_ARN, tagKeys: ['team'] },
          { kind: 'kms.untagResource', keyArn: KEY_ARN, tagKeys: ['team'] },
          ...[...PARAMETERS, 'ECR_ORDERS_API_kms_key_arn'].map((name) => ({ kind: 'ssm.removeTagsFromResource', name, tagKeys: ['team'] })),
        ],
      ]);
    });

    it('leaves tags AWS reserves alone when the repository carries some', () => {
      const desired = givenDesired();
      const actual = withRepository(convergedActual(desired), { tags: { ...desired.repositoryTags, 'aws:cloudformation:stack-name': 'app' } });
      expect(planConverge(desired, actual, owner)).toEqual([]);
    });

    it('restores an organisation tag when the platform changed its value', () => {
      const desired = givenDesired({}, { mandatoryTags: { 'cost-center': 'cc-99' } });
      const plan = planConverge(desired, convergedActual(givenDesired()), owner);
      expect(only(plan, 'ecr.tagResource')).toEqual([{ kind: 'ecr.tagResource', repositoryArn: REPOSITORY_ARN, tags: { 'cost-center': 'cc-99' } }]);
    });
  });

  describe('key rotation', () => {
    it.each([
      [true, 'kms.enableKeyRotation'],
      [false, 'kms.disableKeyRotation'],
    ] as const)('sets rotation to %s when the setting changed since', (rotation, kind) => {
      const plan = planConverge(givenDesired({ useKmsKey: true }, { keyRotation: rotation }), convergedActual(givenDesired({ useKmsKey: true }, { keyRotation: !rotation })), owner);
      expect(plan).toEqual([[{ kind, key: { arn: KEY_ARN } }]]);
    });
  });
});
