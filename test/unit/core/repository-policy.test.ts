import { PULL_STATEMENT_SID, repositoryPolicyChange } from '../../../handler/src/core/repository-policy';

const ours = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Sid: PULL_STATEMENT_SID, Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::111111111111:root'] }, Action: ['ecr:BatchGetImage'] }],
});
const lambda = { Sid: 'LambdaECRImageRetrievalPolicy', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'] };
const document = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const statementsOf = (policy: string) => (JSON.parse(policy) as { Statement: { Sid?: string }[] }).Statement.map((statement) => statement.Sid);

describe('repositoryPolicyChange', () => {
  it('sets our statement when there is no policy and the repository is shared', () => {
    const change = repositoryPolicyChange(null, ours);
    expect(change.kind).toBe('set');
    expect(change.kind === 'set' && statementsOf(change.policy)).toEqual([PULL_STATEMENT_SID]);
  });

  it('does nothing when there is no policy and the repository is not shared', () => {
    expect(repositoryPolicyChange(null, undefined)).toEqual({ kind: 'none' });
  });

  it('keeps a statement Lambda added when it adds ours', () => {
    // GIVEN a policy holding only Lambda's statement
    const actual = document(lambda);
    // WHEN sharing is asked for
    const change = repositoryPolicyChange(actual, ours);
    // THEN both statements are there
    expect(change.kind === 'set' && statementsOf(change.policy)).toEqual(['LambdaECRImageRetrievalPolicy', PULL_STATEMENT_SID]);
  });

  it('removes only our statement when sharing stops and others remain', () => {
    const change = repositoryPolicyChange(document(lambda, JSON.parse(ours).Statement[0]), undefined);
    expect(change.kind === 'set' && statementsOf(change.policy)).toEqual(['LambdaECRImageRetrievalPolicy']);
  });

  it('deletes the policy when ours was its only statement and sharing stops', () => {
    expect(repositoryPolicyChange(ours, undefined)).toEqual({ kind: 'delete' });
  });

  it('never touches a policy holding only others’ statements when the repository is not shared', () => {
    expect(repositoryPolicyChange(document(lambda), undefined)).toEqual({ kind: 'none' });
  });

  it('does nothing when the policy already holds our statement, reformatted by AWS', () => {
    const actual = JSON.stringify(JSON.parse(document(lambda, JSON.parse(ours).Statement[0])), null, 2);
    expect(repositoryPolicyChange(actual, ours)).toEqual({ kind: 'none' });
  });

  it('replaces an outdated statement of ours (a new environment account) and keeps the rest', () => {
    const outdated = { ...JSON.parse(ours).Statement[0], Principal: { AWS: ['arn:aws:iam::999999999999:root'] } };
    const change = repositoryPolicyChange(document(outdated, lambda), ours);
    expect(change.kind).toBe('set');
    expect(change.kind === 'set' && change.policy).toContain('111111111111');
    expect(change.kind === 'set' && change.policy).not.toContain('999999999999');
    expect(change.kind === 'set' && statementsOf(change.policy)).toEqual(['LambdaECRImageRetrievalPolicy', PULL_STATEMENT_SID]);
  });
});
