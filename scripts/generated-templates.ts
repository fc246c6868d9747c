/**
 * The templates in templates/ that are generated, and how: from the CDK app's template stacks
 * (so the provider's IAM policy in provider.yaml is the construct's own, never a copy) and,
 * for the module, from its hand-written fragment (as `cfn validate` would). `npm run templates`
 * writes them, `npm start` writes them from its cdk.out, and a test fails when the committed
 * files differ from what the code generates now.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import { buildApp } from '../construct/app/build-app';
import { PROVIDER_TEMPLATE_STACK_NAME } from '../construct/app/stacks/provider-template-stack';
import { SERVICE_CATALOG_STACK_NAME, SERVICE_CATALOG_TEMPLATE_STACK_NAME } from '../construct/app/stacks/service-catalog';
import { STACKSET_STACK_NAME } from '../construct/app/stacks/stackset-stack';
import { GUARDRAIL_STACK_NAME } from '../construct/app/stacks/guardrail-stack';
import { PROVIDER_BOUNDARY_STACK_NAME } from '../construct/app/stacks/provider-boundary-stack';

export const ROOT = join(__dirname, '..');
export const TEMPLATES_DIR = join(ROOT, 'templates');
/** The command that regenerates every generated template. */
export const REGENERATE_COMMAND = 'npm run templates';

/** The module type raw templates declare. */
export const MODULE_TYPE_NAME = 'Org::ECR::Repository::MODULE';
/** The module's folder, laid out as the CloudFormation CLI (`cfn init` for a module) lays it out. */
export const MODULE_DIR = join(TEMPLATES_DIR, 'module');
export const MODULE_FRAGMENT_FILE = join(MODULE_DIR, 'fragments', 'org-ecr-repository.json');

/** A generated file: its path under templates/ and where it comes from. */
export interface GeneratedTemplate {
  /** Path relative to templates/, with `/`. */
  readonly file: string;
  /** What the file is generated from, for its header and for messages. */
  readonly source: string;
  /** The app's stack it is the template of, when it is one. */
  readonly stackName?: string;
  /** The file's content, from a synthesized cloud assembly. */
  render(assemblyDir: string): string;
}

const fromStack = (file: string, stackName: string, source: string): GeneratedTemplate => ({
  file,
  stackName,
  source: `the ${stackName} stack (${source})`,
  render: (assemblyDir) => yamlTemplate(readJson(join(assemblyDir, `${stackName}.template.json`)), `the CDK app's ${stackName} stack (${source})`),
});

/** Every generated file, in the order they are written. */
export const GENERATED_TEMPLATES: readonly GeneratedTemplate[] = [
  fromStack('provider.yaml', PROVIDER_TEMPLATE_STACK_NAME, 'construct/app/stacks/provider-template-stack.ts'),
  fromStack('stackset.yaml', STACKSET_STACK_NAME, 'construct/app/stacks/stackset-stack.ts'),
  fromStack('service-catalog.yaml', SERVICE_CATALOG_TEMPLATE_STACK_NAME, 'construct/app/stacks/service-catalog.ts'),
  fromStack('guardrail.yaml', GUARDRAIL_STACK_NAME, 'construct/app/stacks/guardrail-stack.ts'),
  fromStack('provider-boundary.yaml', PROVIDER_BOUNDARY_STACK_NAME, 'construct/app/stacks/provider-boundary-stack.ts'),
  {
    file: 'service-catalog-product.yaml',
    source: `the product stack of ${SERVICE_CATALOG_STACK_NAME} (construct/app/stacks/repository-product.ts)`,
    render: (assemblyDir) => yamlTemplate(readJson(productTemplateFile(assemblyDir)), `the OrgEcrRepositoryProduct ProductStack (construct/app/stacks/repository-product.ts)`),
  },
  { file: 'module/schema.json', source: 'templates/module/fragments/org-ecr-repository.json', render: () => `${JSON.stringify(moduleSchema(readJson(MODULE_FRAGMENT_FILE)), null, 4)}\n` },
  { file: 'module/.rpdk-config', source: 'the module type name', render: () => `${JSON.stringify(moduleSettings(), null, 4)}\n` },
];

/** The context of cdk.json, as the CDK CLI passes it to the app. */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = readJson(join(ROOT, 'cdk.json')) as { context?: Record<string, unknown> };
  return cdkJson.context ?? {};
}

/** Synthesizes the CDK app in-process, with cdk.json's context, into `outdir`. */
export function synthesizeAssembly(outdir: string = mkdtempSync(join(tmpdir(), 'org-ecr-templates-'))): string {
  return buildApp({ context: cdkJsonContext(), outdir }).synth().directory;
}

/** Every generated file's content, by path under templates/. */
export function renderGeneratedTemplates(assemblyDir: string): Map<string, string> {
  return new Map(GENERATED_TEMPLATES.map((template) => [template.file, template.render(assemblyDir)]));
}

/** The generated files whose committed content differs from `rendered` (missing ones included). */
export function staleTemplates(rendered: ReadonlyMap<string, string>): string[] {
  return [...rendered].filter(([file, content]) => readOrUndefined(join(TEMPLATES_DIR, file)) !== content).map(([file]) => file);
}

/** Writes every rendered file under templates/. */
export function writeTemplates(rendered: ReadonlyMap<string, string>): string[] {
  for (const [file, content] of rendered) {
    const path = join(TEMPLATES_DIR, file);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
  return [...rendered.keys()];
}

/** Renders from a fresh in-process synth and removes the assembly afterwards. */
export function renderFromFreshSynth(): Map<string, string> {
  const directory = synthesizeAssembly();
  try {
    return renderGeneratedTemplates(directory);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/**
 * A CloudFormation template as YAML without short-form tags (`Fn::GetAtt:` rather than
 * `!GetAtt`), so any YAML parser reads it. YAML 1.1 rules quote what CloudFormation's parser
 * would otherwise read as booleans or dates (`"true"`, `"2010-09-09"`).
 */
export function yamlTemplate(template: unknown, source: string): string {
  const header = `# Generated by \`${REGENERATE_COMMAND}\` from ${source}.\n# Do not edit by hand: change the code and regenerate.\n`;
  return header + stringify(template, { version: '1.1', lineWidth: 0, aliasDuplicateObjects: false });
}

/**
 * The module schema `cfn validate` derives from a fragment (cloudformation-cli,
 * rpdk/core/fragment/generator.py): the fragment's parameters and resources, which the
 * registry shows to module users.
 */
export function moduleSchema(fragment: { Parameters?: Record<string, { Type: string; Description?: string }>; Resources: Record<string, { Type: string }> }): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  if (fragment.Parameters !== undefined) {
    const parameters: Record<string, unknown> = {};
    for (const [name, parameter] of Object.entries(fragment.Parameters)) {
      const described = parameter.Description !== undefined;
      parameters[name] = {
        type: 'object',
        properties: { Type: { type: 'string' }, ...(described ? { Description: { type: 'string' } } : {}) },
        required: described ? ['Type', 'Description'] : ['Type'],
        ...(described ? { description: parameter.Description } : {}),
      };
    }
    properties.Parameters = { type: 'object', properties: parameters };
  }
  const resources: Record<string, unknown> = {};
  for (const [name, resource] of Object.entries(fragment.Resources)) {
    resources[name] = { type: 'object', properties: { Type: { type: 'string', const: resource.Type }, Properties: { type: 'object' } } };
  }
  properties.Resources = { properties: resources, type: 'object', additionalProperties: false };
  return { typeName: MODULE_TYPE_NAME, description: `Schema for Module Fragment of type ${MODULE_TYPE_NAME}`, properties, additionalProperties: true };
}

/** The module project's settings file, as `cfn init` writes it for a module. */
export function moduleSettings(): Record<string, unknown> {
  return { artifact_type: 'MODULE', typeName: MODULE_TYPE_NAME, settings: {} };
}

/** The ProductStack's template in an assembly: the only `*.product.template.json`. */
function productTemplateFile(assemblyDir: string): string {
  const files = readdirSync(assemblyDir).filter((name) => name.endsWith('.product.template.json'));
  if (files.length !== 1) throw new Error(`Expected one *.product.template.json in ${assemblyDir}, found ${files.length}: ${files.join(', ')}`);
  return join(assemblyDir, files[0] as string);
}

function readJson(path: string): any {
  return JSON.parse(readFileSync(path, 'utf8'));
}

function readOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
