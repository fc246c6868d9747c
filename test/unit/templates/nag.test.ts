/**
 * cdk-nag's AwsSolutions pack over the shipped templates, read back through `CfnInclude`.
 * A generated template may only carry the findings its generating stack acknowledged, with
 * that stack's written reasons (for the provider, the construct's reason per IAM statement);
 * a hand-written template may carry none.
 */
import type { PolicyValidationPluginReport } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { carryOverAcknowledgements, generatingStack, includeTemplate, shippedTemplateFiles } from '../../helpers/templates';

const findings = (report: PolicyValidationPluginReport) =>
  report.violations.flatMap((violation) => violation.violatingResources.map((resource) => `${violation.ruleName} on ${resource.constructPath ?? resource.resourceLogicalId}`));

describe('cdk-nag over the shipped templates', () => {
  it.each(shippedTemplateFiles())('reports no unacknowledged AwsSolutions finding in %s', (file) => {
    // GIVEN the template, with the acknowledgements of the stack it is generated from
    const { stack, include } = includeTemplate(file);
    const applied = carryOverAcknowledgements(file, include);
    // WHEN
    const report = new AwsSolutionsChecks().validateScope(stack);
    // THEN
    expect(findings(report)).toEqual([]);
    for (const acknowledgement of applied) expect(acknowledgement.split(': ').slice(2).join(': ').length).toBeGreaterThan(40);
  });

  it('acknowledges nothing in a hand-written template, so its clean result is its own', () => {
    // GIVEN
    const handWritten = shippedTemplateFiles().filter((file) => generatingStack(file) === undefined);
    // WHEN
    const reports = handWritten.map((file) => findings(new AwsSolutionsChecks().validateScope(includeTemplate(file).stack)));
    // THEN
    expect(handWritten).toEqual(['templates/consumer-example.yaml', 'templates/module/fragments/org-ecr-repository.json']);
    expect(reports).toEqual([[], []]);
  });

  it("finds the provider template's IAM wildcards when nothing is acknowledged, so the clean result above means something", () => {
    // GIVEN
    const { stack } = includeTemplate('templates/provider.yaml');
    // WHEN
    const rules = new AwsSolutionsChecks().validateScope(stack).violations.map((violation) => violation.ruleName);
    // THEN
    expect(rules).toContain('AwsSolutions-IAM5[Resource::*]');
  });
});
