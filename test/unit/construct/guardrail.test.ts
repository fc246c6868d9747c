/** The guardrail, boundary and provider-role controls of the constructs. */
import { Match } from 'aws-cdk-lib/assertions';
import { OrgEcrGuardrail } from '../../../construct/guardrail';
import { OrgEcrProviderBoundary } from '../../../construct/provider-boundary';
import { givenProvider, givenStack, templateOf } from './given';

describe('OrgEcrGuardrail', () => {
  it('creates an SCP and an RCP attached to the targets, exempting the provider path and break-glass', () => {
    const stack = givenStack();
    new OrgEcrGuardrail(stack, 'Guardrail', { organizationPrefix: 'acme', targetIds: ['ou-abcd-11111111'] });
    const template = templateOf(stack);
    template.resourceCountIs('AWS::Organizations::Policy', 2);
    template.hasResourceProperties('AWS::Organizations::Policy', {
      Type: 'SERVICE_CONTROL_POLICY',
      TargetIds: ['ou-abcd-11111111'],
      Content: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'DenyChangesToOrganisationRepositories',
            Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ecr:*:*:repository/acme-*']] },
            Condition: {
              ArnNotLike: {
                'aws:PrincipalArn': [
                  { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::*:role/org-ecr/provider/*']] },
                  { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::*:role/org-ecr/break-glass/*']] },
                ],
              },
            },
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::Organizations::Policy', { Type: 'RESOURCE_CONTROL_POLICY' });
  });

  it('creates the SCP only when the RCP is turned off, with the break-glass principals given', () => {
    const stack = givenStack();
    const guardrail = new OrgEcrGuardrail(stack, 'Guardrail', {
      organizationPrefix: 'acme',
      targetIds: ['r-abcd'],
      resourceControlPolicy: false,
      breakGlassPrincipalArns: ['arn:aws:iam::*:role/org-ecr/break-glass/Ops'],
    });
    expect(guardrail.resourceControlPolicy).toBeUndefined();
    const template = templateOf(stack);
    template.resourceCountIs('AWS::Organizations::Policy', 1);
    expect(JSON.stringify(template.toJSON())).toContain('role/org-ecr/break-glass/Ops');
  });
});

describe('OrgEcrRepositoryProvider platform controls', () => {
  it('puts the role under the guardrail\'s provider path and tags the function for it', () => {
    const stack = givenStack();
    givenProvider(stack);
    const template = templateOf(stack);
    template.hasResourceProperties('AWS::IAM::Role', { Path: '/org-ecr/provider/', PermissionsBoundary: Match.absent() });
    template.hasResourceProperties('AWS::Lambda::Function', { Tags: Match.arrayWith([{ Key: 'org-ecr:component', Value: 'provider' }]) });
  });

  it('sets the permissions boundary it is given, e.g. the recommended one', () => {
    const stack = givenStack();
    const boundary = new OrgEcrProviderBoundary(stack, 'Boundary', { organizationPrefix: 'acme' });
    givenProvider(stack, { permissionsBoundary: boundary.managedPolicy });
    const template = templateOf(stack);
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', { ManagedPolicyName: 'org-ecr-provider-boundary' });
    template.hasResourceProperties('AWS::IAM::Role', { Path: '/org-ecr/provider/', PermissionsBoundary: { Ref: Match.stringLikeRegexp('^BoundaryPolicy') } });
  });
});
