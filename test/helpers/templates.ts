/** Builders for the template tests: the raw templates, parsed, and the app synthesized once. */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, isAbsolute, join, relative } from 'node:path';
import { App, CfnResource, Stack, Validations } from 'aws-cdk-lib';
import * as servicecatalog from 'aws-cdk-lib/aws-servicecatalog';
import * as cfninc from 'aws-cdk-lib/cloudformation-include';
import type { IConstruct } from 'constructs';
import { parse, type Tags } from 'yaml';
import { RESOURCE_TYPE } from '../../handler/src/contract';
import { buildApp } from '../../construct/app/build-app';
import { cdkJsonContext, GENERATED_TEMPLATES, MODULE_FRAGMENT_FILE, ROOT, synthesizeAssembly, TEMPLATES_DIR } from '../../scripts/generated-templates';

/** A CloudFormation template as plain JSON values (intrinsics in their long form). */
export type Template = {
  Parameters?: Record<string, Record<string, unknown>>;
  Resources: Record<string, { Type: string; Properties?: Record<string, unknown>; Condition?: string }>;
  Outputs?: Record<string, { Value: unknown; Export?: unknown }>;
  Metadata?: Record<string, any>;
  Conditions?: Record<string, unknown>;
  [section: string]: unknown;
};

/** The short-form intrinsics (`!Ref`, `!GetAtt`, ...) as long-form objects, in any node kind. */
const INTRINSICS: Readonly<Record<string, string>> = {
  Ref: 'Ref',
  Condition: 'Condition',
  GetAtt: 'Fn::GetAtt',
  ImportValue: 'Fn::ImportValue',
  Sub: 'Fn::Sub',
  Join: 'Fn::Join',
  Select: 'Fn::Select',
  Split: 'Fn::Split',
  If: 'Fn::If',
  Equals: 'Fn::Equals',
  Not: 'Fn::Not',
  And: 'Fn::And',
  Or: 'Fn::Or',
  FindInMap: 'Fn::FindInMap',
  Base64: 'Fn::Base64',
  Cidr: 'Fn::Cidr',
  GetAZs: 'Fn::GetAZs',
};
const CLOUDFORMATION_TAGS: Tags = Object.entries(INTRINSICS).flatMap(([short, long]) => [
  { tag: `!${short}`, resolve: (value: string) => ({ [long]: short === 'GetAtt' ? value.split('.') : value }) },
  { tag: `!${short}`, collection: 'seq' as const, resolve: (seq: { toJSON(): unknown }) => ({ [long]: seq.toJSON() }) },
  { tag: `!${short}`, collection: 'map' as const, resolve: (map: { toJSON(): unknown }) => ({ [long]: map.toJSON() }) },
]) as unknown as Tags;

/** Parses a JSON or YAML template, short-form tags included. */
export function loadTemplate(path: string): Template {
  const text = readFileSync(path, 'utf8');
  return (path.endsWith('.json') ? JSON.parse(text) : parse(text, { customTags: CLOUDFORMATION_TAGS })) as Template;
}

/** Every template shipped in templates/ (the module fragment included), relative to the repository. */
export function shippedTemplateFiles(): string[] {
  const yamlFiles = readdirSync(TEMPLATES_DIR)
    .filter((name) => name.endsWith('.yaml'))
    .map((name) => join(TEMPLATES_DIR, name));
  return [...yamlFiles, MODULE_FRAGMENT_FILE].map((path) => relative(ROOT, path)).sort();
}

/** A repository-relative path made absolute; absolute paths are kept. */
export function absolute(file: string): string {
  return isAbsolute(file) ? file : join(ROOT, file);
}

/** The logical ids and definitions of the template's `Custom::OrgEcrRepository` resources. */
export function repositoryResources(template: Template): Array<[string, NonNullable<Template['Resources'][string]>]> {
  return Object.entries(template.Resources).filter(([, resource]) => resource.Type === RESOURCE_TYPE);
}

/**
 * The raw template inside a CDK stack, through `CfnInclude` (which maps every known resource
 * type to its L1 class), so the CDK's validation and cdk-nag see it as they see the app.
 */
export function includeTemplate(file: string, app: App = new App()): { app: App; stack: Stack; include: cfninc.CfnInclude } {
  const stack = new Stack(app, stackIdOf(file));
  const include = new cfninc.CfnInclude(stack, 'Template', { templateFile: absolute(file) });
  return { app, stack, include };
}

/** `templates/module/fragments/org-ecr-repository.json` -> `ModuleFragmentsOrgEcrRepository`-like ids. */
function stackIdOf(file: string): string {
  return (isAbsolute(file) ? basename(file) : file)
    .replace(/^templates\//, '')
    .replace(/\.(yaml|json)$/, '')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}

/** One in-process synth of the app (cdk.json's context) per test file; removed afterwards. */
export function givenSynthesizedApp(): { readonly directory: () => string; cleanUp(): void } {
  let directory: string | undefined;
  return {
    directory: () => {
      directory ??= synthesizeAssembly(mkdtempSync(join(tmpdir(), 'org-ecr-app-')));
      return directory;
    },
    cleanUp: () => {
      if (directory !== undefined) rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** Rule id to reason, for each L1 resource of a stack (acknowledged on it or a parent), by logical id. */
export type Acknowledgements = Map<string, Map<string, string>>;

export function acknowledgementsOf(stack: Stack): Acknowledgements {
  const byLogicalId: Acknowledgements = new Map();
  for (const construct of stack.node.findAll()) {
    if (!CfnResource.isCfnResource(construct) || Stack.of(construct) !== stack) continue;
    const acknowledged = new Map<string, string>();
    for (let scope: IConstruct | undefined = construct; scope !== undefined && scope !== stack; scope = scope.node.scope) {
      for (const [id, reason] of ownAcknowledgements(scope)) acknowledged.set(id, reason);
    }
    if (acknowledged.size > 0) byLogicalId.set(stack.resolve(construct.logicalId) as string, acknowledged);
  }
  return byLogicalId;
}

/** Rule id to reason, acknowledged on `scope` itself (not on its children). */
function ownAcknowledgements(scope: IConstruct): Map<string, string> {
  const acknowledged = new Map<string, string>();
  for (const entry of scope.node.metadata) {
    if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
    for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) acknowledged.set(id.replace(/^annotation::/i, ''), reason);
  }
  return acknowledged;
}

/** The app's stack a shipped template is generated from (cdk.json's context); none for hand-written templates. */
export function generatingStack(file: string): Stack | undefined {
  const generated = GENERATED_TEMPLATES.find((template) => `templates/${template.file}` === file);
  if (generated === undefined) return undefined;
  const app = buildApp({ context: cdkJsonContext() });
  if (generated.stackName !== undefined) return app.node.findChild(generated.stackName) as Stack;
  return app.node.findAll().find((construct) => construct instanceof servicecatalog.ProductStack) as Stack | undefined;
}

/**
 * Applies to the included template the acknowledgements its generating stack made, with the
 * same reasons, to the resources with the same logical ids: a raw template carries exactly
 * the findings the code acknowledged, no more.
 *
 * @returns every acknowledgement applied, as `logicalId: ruleId: reason`
 */
export function carryOverAcknowledgements(file: string, include: cfninc.CfnInclude): string[] {
  const source = generatingStack(file);
  if (source === undefined) return [];
  const applied: string[] = [];
  for (const [logicalId, rules] of acknowledgementsOf(source)) {
    for (const [id, reason] of rules) {
      Validations.of(include.getResource(logicalId)).acknowledge({ id, reason });
      applied.push(`${logicalId}: ${id}: ${reason}`);
    }
  }
  // Findings on parameters are the stack's: so are the acknowledgements made on the stack itself.
  for (const [id, reason] of ownAcknowledgements(source)) {
    Validations.of(Stack.of(include)).acknowledge({ id, reason });
    applied.push(`(stack): ${id}: ${reason}`);
  }
  return applied;
}
