/**
 * cfn-lint (AWS's CloudFormation linter, installed on development and CI machines) over every
 * shipped template and every template the CDK app synthesizes: no error, and no warning
 * except the documented ones below. Where cfn-lint is missing, the suite is skipped and says so.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { ROOT } from '../../../scripts/generated-templates';
import { givenSynthesizedApp, shippedTemplateFiles } from '../../helpers/templates';

interface LintResult {
  readonly Filename: string;
  readonly Level: 'Error' | 'Warning' | 'Informational';
  readonly Message: string;
  readonly Rule: { readonly Id: string };
  readonly Location: { readonly Start: { readonly LineNumber: number } };
}

/**
 * Warnings kept on purpose (docs/templates.md says the same). Each names the rule, the
 * templates it may appear in, and why it stays.
 */
const DOCUMENTED_WARNINGS: ReadonlyArray<{ readonly rule: string; readonly files: RegExp; readonly why: string }> = [
  {
    rule: 'W3005',
    files: /(^templates\/provider\.yaml|OrgEcrRepositoryProvider(Template)?\.template\.json)$/,
    why: "aws-cdk-lib's lambda.Function adds DependsOn on its role next to the Role: GetAtt; the duplicate ordering is harmless and the provider templates are the construct's output, not edited by hand.",
  },
  {
    rule: 'W1030',
    files: /(^templates\/service-catalog\.yaml|OrgEcrServiceCatalogTemplate\.template\.json)$/,
    why: 'The organisation tag values default to empty, meaning "no such tag": each TagOption only exists, and its value is only read, when its key is given (condition HasOrganisationTagN).',
  },
];

const cfnLintVersion = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
const cfnLintAvailable = cfnLintVersion.status === 0;
if (!cfnLintAvailable) {
  console.warn('cfn-lint is not on PATH: SKIPPING the cfn-lint suite (test/unit/templates/cfn-lint.test.ts). Install it with `pip install cfn-lint` to run it.');
}
const describeWithCfnLint = cfnLintAvailable ? describe : describe.skip;

describeWithCfnLint(`cfn-lint (${cfnLintVersion.stdout?.trim() ?? 'absent'})`, () => {
  const app = givenSynthesizedApp();
  let files: string[] = [];
  let results: LintResult[] = [];

  beforeAll(() => {
    const assembly = app.directory();
    const synthesized = readdirSync(assembly)
      .filter((name) => name.endsWith('.template.json'))
      .map((name) => join(assembly, name));
    files = [...shippedTemplateFiles(), ...synthesized];
    const run = spawnSync('cfn-lint', ['--format', 'json', '--', ...files], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    // Exit codes are a bit mask of what was found (2 errors, 4 warnings, 8 informational); 1 is cfn-lint failing itself.
    if (run.status === null || run.status === 1 || run.stdout.trim() === '') throw new Error(`cfn-lint did not run (status ${run.status}): ${run.stderr}`);
    results = JSON.parse(run.stdout) as LintResult[];
  }, 120_000);
  afterAll(() => app.cleanUp());

  const shown = (file: string) => (isAbsolute(file) ? relative(ROOT, file) : file);
  const describeResult = (result: LintResult) => `${shown(result.Filename)}:${result.Location.Start.LineNumber} ${result.Rule.Id} ${result.Message}`;

  it('lints the shipped templates and every template the app synthesizes', () => {
    // GIVEN the files of beforeAll
    // WHEN
    const names = files.map((file) => file.split('/').pop());
    // THEN
    expect(names).toEqual(expect.arrayContaining(['provider.yaml', 'stackset.yaml', 'service-catalog.yaml', 'service-catalog-product.yaml', 'consumer-example.yaml', 'org-ecr-repository.json', 'OrgEcrRepositoryProvider.template.json', 'OrgEcrServiceCatalog.template.json']));
    expect(names.some((name) => name?.endsWith('.product.template.json'))).toBe(true);
  });

  it('reports no error in any template', () => {
    // GIVEN the results of beforeAll
    // WHEN
    const errors = results.filter((result) => result.Level === 'Error').map(describeResult);
    // THEN
    expect(errors).toEqual([]);
  });

  it('reports no warning beyond the documented ones', () => {
    // GIVEN the results of beforeAll
    // WHEN
    const undocumented = results
      .filter((result) => result.Level !== 'Error')
      .filter((result) => !DOCUMENTED_WARNINGS.some(({ rule, files: pattern }) => rule === result.Rule.Id && pattern.test(shown(result.Filename))))
      .map(describeResult);
    // THEN
    expect(undocumented).toEqual([]);
  });

  it('fails a template that breaks the specification, so the clean results above mean something', () => {
    // GIVEN a template whose repository has no ServiceToken and an unknown top-level section
    const broken = join(app.directory(), 'broken.yaml');
    writeFileSync(broken, 'Resources:\n  Repository:\n    Type: Custom::OrgEcrRepository\n    Properties:\n      ApplicationName: shop\nColours: blue\n');
    // WHEN
    const run = spawnSync('cfn-lint', ['--format', 'json', '--', broken], { encoding: 'utf8' });
    // THEN
    const rules = (JSON.parse(run.stdout) as LintResult[]).filter((result) => result.Level === 'Error').map((result) => result.Rule.Id);
    expect(rules.length).toBeGreaterThan(0);
  });
});
