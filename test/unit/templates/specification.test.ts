/**
 * Every shipped template checked against CloudFormation's resource specification: included
 * with `CfnInclude` (every known type becomes its L1 class) and synthesized with the CDK's
 * built-in CloudFormation validation switched on and its findings made errors, so an unknown
 * property or a wrong type fails here rather than at deploy time.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { carryOverAcknowledgements, includeTemplate, shippedTemplateFiles } from '../../helpers/templates';

/** The CDK's own switch that turns the validation's findings into errors that fail the synth. */
const VALIDATION_ERRORS_CONTEXT = { '@aws-cdk/core:validateAgainstDefaultRules': true };

/** test/setup-env.js turns the validation off for speed; this suite is where it must run. */
function withBuiltInValidation<T>(run: () => T): T {
  const saved = process.env.CDK_VALIDATION;
  process.env.CDK_VALIDATION = 'true';
  try {
    return run();
  } finally {
    if (saved === undefined) delete process.env.CDK_VALIDATION;
    else process.env.CDK_VALIDATION = saved;
  }
}

const validatingApp = () => new App({ context: VALIDATION_ERRORS_CONTEXT, outdir: mkdtempSync(join(tmpdir(), 'cfn-spec-')) });

describe('the shipped templates against the CloudFormation specification', () => {
  it.each(shippedTemplateFiles())('validates %s with no error', (file) => {
    // GIVEN the template, with the warnings its generating stack acknowledged (with reasons)
    const { app, include } = includeTemplate(file, validatingApp());
    carryOverAcknowledgements(file, include);
    // WHEN
    const synth = () => withBuiltInValidation(() => app.synth());
    // THEN
    expect(synth).not.toThrow();
  });

  it('fails a template with an unknown property of a known type, so the passes above mean something', () => {
    // GIVEN a copy of the consumer example with a misspelt property on a known type
    const directory = mkdtempSync(join(tmpdir(), 'cfn-spec-broken-'));
    const broken = join(directory, 'broken.yaml');
    const example = readFileSync(join(__dirname, '..', '..', '..', 'templates', 'consumer-example.yaml'), 'utf8');
    writeFileSync(broken, example.replace('Resources:\n', 'Resources:\n  Parameter:\n    Type: AWS::SSM::Parameter\n    Properties:\n      Type: String\n      Value: x\n      Colour: blue\n'));
    const { app } = includeTemplate(broken, validatingApp());
    // WHEN
    const synth = () => withBuiltInValidation(() => app.synth());
    // THEN
    expect(synth).toThrow(/Colour: Additional properties are not allowed[\s\S]*F3002/);
  });
});
