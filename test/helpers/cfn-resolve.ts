/**
 * Resolves a template's intrinsic functions as CloudFormation would for one deployment, so the
 * policies it ships can be evaluated as deployed: `Ref` (parameters, pseudo parameters,
 * resources), `Fn::Join`, `Fn::Sub`, `Fn::GetAtt`, `Fn::If` with the template's conditions,
 * `Fn::Select`, `Fn::Split`, `Fn::Equals`/`Not`/`And`/`Or`. Anything else fails loudly.
 */
import type { Template } from './templates';

/** One deployment of a template: where, and with which parameter values. */
export interface Deployment {
  readonly account: string;
  readonly region: string;
  readonly partition?: string;
  readonly stackName?: string;
  /** Parameter values; a parameter not given takes its Default. */
  readonly parameters?: Readonly<Record<string, string>>;
  /** `Ref` of a resource (its physical id); default: `{logicalId}-physical`. */
  readonly refs?: Readonly<Record<string, string>>;
  /** `Fn::GetAtt` of `Logical.Attribute`; default: `{logicalId}-{attribute}`. */
  readonly attributes?: Readonly<Record<string, string>>;
}

const NO_VALUE = Symbol('AWS::NoValue');

/** The template with every intrinsic resolved (AWS::NoValue removed). */
export function resolveTemplate(template: Template, deployment: Deployment): Template {
  const resolver = new Resolver(template, deployment);
  return resolver.value(template) as Template;
}

class Resolver {
  private readonly conditions = new Map<string, boolean>();

  constructor(
    private readonly template: Template,
    private readonly deployment: Deployment,
  ) {}

  value(node: unknown): unknown {
    if (Array.isArray(node)) return node.map((item) => this.value(item)).filter((item) => item !== NO_VALUE);
    if (node === null || typeof node !== 'object') return node;
    const entries = Object.entries(node as Record<string, unknown>);
    if (entries.length === 1) {
      const [key, argument] = entries[0] as [string, unknown];
      if (key === 'Ref' || key.startsWith('Fn::') || key === 'Condition') {
        if (key === 'Condition' && typeof argument === 'string' && !(argument in (this.template.Conditions ?? {}))) return { Condition: argument };
        return this.intrinsic(key, argument);
      }
    }
    const result: Record<string, unknown> = {};
    for (const [key, child] of entries) {
      const resolved = this.value(child);
      if (resolved !== NO_VALUE) result[key] = resolved;
    }
    return result;
  }

  private intrinsic(name: string, argument: unknown): unknown {
    switch (name) {
      case 'Ref':
        return this.ref(argument as string);
      case 'Fn::Join': {
        const [separator, parts] = argument as [string, unknown[]];
        return (this.value(parts) as unknown[]).map((part) => this.text(part)).join(separator);
      }
      case 'Fn::Sub':
        return this.sub(argument);
      case 'Fn::GetAtt': {
        const [logical, attribute] = Array.isArray(argument) ? (argument as [string, string]) : ((argument as string).split('.') as [string, string]);
        return this.getAtt(logical, attribute);
      }
      case 'Fn::If': {
        const [condition, whenTrue, whenFalse] = argument as [string, unknown, unknown];
        return this.value(this.condition(condition) ? whenTrue : whenFalse);
      }
      case 'Fn::Select': {
        const [index, list] = argument as [unknown, unknown];
        return (this.value(list) as unknown[])[Number(this.value(index))];
      }
      case 'Fn::Split': {
        const [separator, text] = argument as [string, unknown];
        return this.text(this.value(text)).split(separator);
      }
      case 'Fn::Equals': {
        const [left, right] = argument as [unknown, unknown];
        return JSON.stringify(this.value(left)) === JSON.stringify(this.value(right));
      }
      case 'Fn::Not':
        return !this.truth((argument as unknown[])[0]);
      case 'Fn::And':
        return (argument as unknown[]).every((item) => this.truth(item));
      case 'Fn::Or':
        return (argument as unknown[]).some((item) => this.truth(item));
      case 'Condition':
        return this.condition(argument as string);
      default:
        throw new Error(`cannot resolve ${name}: ${JSON.stringify(argument)}`);
    }
  }

  private truth(node: unknown): boolean {
    return this.value(node) === true;
  }

  private condition(name: string): boolean {
    const known = this.conditions.get(name);
    if (known !== undefined) return known;
    const definition = this.template.Conditions?.[name];
    if (definition === undefined) throw new Error(`unknown condition ${name}`);
    const result = this.truth(definition);
    this.conditions.set(name, result);
    return result;
  }

  private ref(name: string): unknown {
    const d = this.deployment;
    const pseudo: Record<string, unknown> = {
      'AWS::AccountId': d.account,
      'AWS::Region': d.region,
      'AWS::Partition': d.partition ?? 'aws',
      'AWS::URLSuffix': 'amazonaws.com',
      'AWS::StackName': d.stackName ?? 'stack',
      'AWS::StackId': `arn:${d.partition ?? 'aws'}:cloudformation:${d.region}:${d.account}:stack/${d.stackName ?? 'stack'}/00000000-0000-0000-0000-000000000000`,
      'AWS::NoValue': NO_VALUE,
    };
    if (name in pseudo) return pseudo[name];
    const parameter = this.template.Parameters?.[name];
    if (parameter !== undefined) {
      const value = d.parameters?.[name] ?? (parameter.Default as string | undefined);
      if (value === undefined) throw new Error(`parameter ${name} has no value and no Default`);
      return String(parameter.Type).startsWith('List<') || parameter.Type === 'CommaDelimitedList' ? String(value).split(',') : value;
    }
    if (name in this.template.Resources) return d.refs?.[name] ?? `${name}-physical`;
    throw new Error(`cannot resolve Ref ${name}`);
  }

  private getAtt(logical: string, attribute: string): string {
    return this.deployment.attributes?.[`${logical}.${attribute}`] ?? `${logical}-${attribute}`;
  }

  private sub(argument: unknown): string {
    const [text, variables] = Array.isArray(argument) ? (argument as [string, Record<string, unknown>]) : [argument as string, {}];
    return text.replace(/\$\{([^}!][^}]*)\}/g, (_match, name: string) => {
      if (name in variables) return this.text(this.value(variables[name]));
      if (name.includes('.')) {
        const [logical, ...attribute] = name.split('.');
        return this.getAtt(logical as string, attribute.join('.'));
      }
      return this.text(this.ref(name));
    });
  }

  private text(value: unknown): string {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    throw new Error(`expected text, got ${JSON.stringify(value)}`);
  }
}
