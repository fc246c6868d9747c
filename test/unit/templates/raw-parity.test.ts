/**
 * The raw templates offer what the constructs offer: the provider function's sizing, and the
 * Service Catalog product's support fields, releases, artifact ids and end-user roles.
 */
import { App } from 'aws-cdk-lib';
import { Template as CdkTemplate } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { serviceCatalogStack } from '../../../construct/app/stacks/service-catalog';
import { ApplicationHelper } from '../../../construct/application-helper';
import { OrgEcrRepositoryProvider } from '../../../construct/provider';
import { givenContext } from '../construct/given';
import { absolute, loadTemplate, type Template } from '../../helpers/templates';

const template = (file: string): Template => loadTemplate(absolute(file));
const resourcesOfType = (t: Template, type: string) => Object.entries(t.Resources).filter(([, resource]) => resource.Type === type);
const onlyResource = (t: Template, type: string) => {
  const resources = resourcesOfType(t, type);
  expect(resources).toHaveLength(1);
  return resources[0]![1].Properties as Record<string, unknown>;
};

/** Evaluates the intrinsics a template's parameters and conditions feed, for given parameter values. */
function evaluate(t: Template, parameters: Record<string, string>, node: unknown): unknown {
  const value = (n: unknown) => evaluate(t, parameters, n);
  const condition = (name: string): boolean => value(t.Conditions?.[name]) as boolean;
  if (Array.isArray(node)) return node.map(value).filter((item) => item !== NO_VALUE);
  if (typeof node !== 'object' || node === null) return node;
  const [[fn, args]] = Object.entries(node as Record<string, unknown>) as [[string, any]];
  switch (fn) {
    case 'Ref':
      if (args === 'AWS::NoValue') return NO_VALUE;
      if (args === 'AWS::Partition') return 'aws';
      return parameters[args] ?? t.Parameters?.[args]?.Default;
    case 'Fn::Join':
      return (value(args[1]) as unknown[]).join(args[0]);
    case 'Fn::Split':
      return String(value(args[1])).split(args[0]);
    case 'Fn::Select':
      return (value(args[1]) as unknown[])[Number(args[0])];
    case 'Fn::Equals':
      return value(args[0]) === value(args[1]);
    case 'Fn::Not':
      return !value(args[0]);
    case 'Fn::If':
      return condition(args[0]) ? value(args[1]) : value(args[2]);
    default:
      return Object.fromEntries(Object.entries(node as Record<string, unknown>).map(([key, item]) => [key, value(item)]).filter(([, item]) => item !== NO_VALUE));
  }
}
const NO_VALUE = Symbol('AWS::NoValue');

describe('the provider template (templates/provider.yaml)', () => {
  const provider = () => template('templates/provider.yaml');

  it.each<[string, string, number]>([
    ['Timeout', 'Timeout', OrgEcrRepositoryProvider.DEFAULT_TIMEOUT_SECONDS],
    ['MemorySize', 'MemorySize', OrgEcrRepositoryProvider.DEFAULT_MEMORY_SIZE],
  ])("sets the function's %s from a parameter defaulting to the construct's default", (property, parameter, fallback) => {
    // GIVEN
    const t = provider();
    // WHEN
    const fn = onlyResource(t, 'AWS::Lambda::Function');
    // THEN
    expect(fn[property]).toEqual({ Ref: parameter });
    expect(Number(t.Parameters?.[parameter]?.Default)).toBe(fallback);
    expect(t.Parameters?.[parameter]?.Type).toBe('Number');
  });

  it('keeps the logs for LogRetentionDays, one of the periods CloudWatch accepts, one year by default', () => {
    // GIVEN
    const t = provider();
    // WHEN
    const logGroup = onlyResource(t, 'AWS::Logs::LogGroup');
    // THEN
    expect(logGroup.RetentionInDays).toEqual({ Ref: 'LogRetentionDays' });
    expect(t.Parameters?.LogRetentionDays?.Default).toBe(String(logs.RetentionDays.ONE_YEAR));
    expect(t.Parameters?.LogRetentionDays?.AllowedValues).toEqual(expect.arrayContaining(['1', '30', '365', '3653']));
  });

  it('bounds Timeout by Lambda\'s 15 minutes and MemorySize by Lambda\'s 128 to 10240 MB', () => {
    // GIVEN
    const { Timeout, MemorySize } = provider().Parameters ?? {};
    // THEN
    expect([Timeout?.MinValue, Timeout?.MaxValue]).toEqual([1, 900]);
    expect([MemorySize?.MinValue, MemorySize?.MaxValue]).toEqual([128, 10240]);
  });

  it('passes the function parameters through the StackSet', () => {
    // GIVEN
    const stackSet = template('templates/stackset.yaml');
    // WHEN
    const parameters = (onlyResource(stackSet, 'AWS::CloudFormation::StackSet').Parameters as Array<{ ParameterKey: string }>).map((parameter) => parameter.ParameterKey);
    // THEN
    expect(parameters).toEqual(expect.arrayContaining(['Timeout', 'MemorySize', 'LogRetentionDays']));
  });
});

describe('the Service Catalog template (templates/service-catalog.yaml)', () => {
  const catalog = () => template('templates/service-catalog.yaml');
  const product = (parameters: Record<string, string>) => {
    const t = catalog();
    return evaluate(t, parameters, onlyResource(t, 'AWS::ServiceCatalog::CloudFormationProduct')) as Record<string, any>;
  };
  const association = (endUserRoleName: string) => {
    const t = catalog();
    return evaluate(t, { EndUserRoleName: endUserRoleName }, onlyResource(t, 'AWS::ServiceCatalog::PortfolioPrincipalAssociation')) as { PrincipalARN: string; PrincipalType: string };
  };

  it('gives the product the support e-mail, URL and description when given, and leaves them out when empty', () => {
    // WHEN
    const given = product({ SupportEmail: 'platform@example.com', SupportUrl: 'https://wiki.example.com/ecr', SupportDescription: 'Ask #platform' });
    const empty = product({});
    // THEN
    expect(given).toMatchObject({ SupportEmail: 'platform@example.com', SupportUrl: 'https://wiki.example.com/ecr', SupportDescription: 'Ask #platform' });
    expect(empty).not.toHaveProperty('SupportEmail');
    expect(empty).not.toHaveProperty('SupportUrl');
    expect(empty).not.toHaveProperty('SupportDescription');
  });

  it('offers one provisioning artifact per release: the current one, and earlier ones while listed', () => {
    // WHEN
    const artifacts = product({
      ProductVersion: '0.3.0',
      ProductTemplateUrl: 'https://b.s3.amazonaws.com/p-0.3.0.yaml',
      PreviousVersion1: '0.2.0',
      PreviousTemplateUrl1: 'https://b.s3.amazonaws.com/p-0.2.0.yaml',
    }).ProvisioningArtifactParameters as Array<{ Name: string; Info: { LoadTemplateFromURL: string } }>;
    // THEN
    expect(artifacts.map((artifact) => [artifact.Name, artifact.Info.LoadTemplateFromURL])).toEqual([
      ['0.3.0', 'https://b.s3.amazonaws.com/p-0.3.0.yaml'],
      ['0.2.0', 'https://b.s3.amazonaws.com/p-0.2.0.yaml'],
    ]);
  });

  it('outputs the provisioning artifact ids and names', () => {
    // GIVEN
    const t = catalog();
    const productId = resourcesOfType(t, 'AWS::ServiceCatalog::CloudFormationProduct')[0]![0];
    // THEN
    expect(t.Outputs?.ProvisioningArtifactIds?.Value).toEqual({ 'Fn::GetAtt': [productId, 'ProvisioningArtifactIds'] });
    expect(t.Outputs?.ProvisioningArtifactNames?.Value).toEqual({ 'Fn::GetAtt': [productId, 'ProvisioningArtifactNames'] });
  });

  it.each<[string, string, string, string]>([
    ['a role name', 'Developer', 'arn:aws:iam:::role/Developer', 'IAM_PATTERN'],
    ['an IAM Identity Center path role', 'aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Dev_abc', 'arn:aws:iam:::role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Dev_abc', 'IAM_PATTERN'],
    ['a path pattern', 'aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_Dev_*', 'arn:aws:iam:::role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_Dev_*', 'IAM_PATTERN'],
    ['a role ARN', 'arn:aws:iam::111111111111:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Dev_abc', 'arn:aws:iam::111111111111:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Dev_abc', 'IAM'],
  ])('associates %s with the portfolio as Service Catalog expects it', (_case, endUserRoleName, principalArn, principalType) => {
    // GIVEN
    const pattern = new RegExp(catalog().Parameters?.EndUserRoleName?.AllowedPattern as string);
    // WHEN
    const principal = association(endUserRoleName);
    // THEN
    expect(pattern.test(endUserRoleName)).toBe(true);
    expect(principal).toMatchObject({ PrincipalARN: principalArn, PrincipalType: principalType });
  });

  it.each([['/aws-reserved/sso.amazonaws.com/Dev'], ['role name with spaces'], ['a//b']])('refuses %j as EndUserRoleName', (value) => {
    // GIVEN
    const pattern = new RegExp(catalog().Parameters?.EndUserRoleName?.AllowedPattern as string);
    // THEN
    expect(pattern.test(value)).toBe(false);
  });
});

describe('the CDK Service Catalog stack', () => {
  const givenCatalog = (serviceCatalog: unknown) => {
    const app = new App({ context: { ...givenContext(), serviceCatalog } });
    return CdkTemplate.fromStack(serviceCatalogStack(app, new ApplicationHelper(app)));
  };

  it('keeps offering the earlier releases listed in serviceCatalog.previousReleases', () => {
    // WHEN
    const t = givenCatalog({ previousReleases: [{ version: '0.0.9', templateUrl: 'https://b.s3.amazonaws.com/p-0.0.9.yaml' }] });
    // THEN
    const [product] = Object.values(t.findResources('AWS::ServiceCatalog::CloudFormationProduct')) as Array<{ Properties: { ProvisioningArtifactParameters: Array<{ Name: string; Info: unknown }> } }>;
    expect(product!.Properties.ProvisioningArtifactParameters.map((artifact) => artifact.Name)).toEqual(['0.1.0', '0.0.9']);
    expect(product!.Properties.ProvisioningArtifactParameters[1]!.Info).toEqual({ LoadTemplateFromURL: 'https://b.s3.amazonaws.com/p-0.0.9.yaml' });
  });

  it('fails naming each bad entry of serviceCatalog.previousReleases', () => {
    // WHEN / THEN
    expect(() => givenCatalog({ previousReleases: [{ version: '0.1.0', templateUrl: 'http://x' }, { version: 'latest' }] })).toThrow(
      /`serviceCatalog.previousReleases\[0\].version` repeats "0.1.0".*`serviceCatalog.previousReleases\[0\].templateUrl` must be the https:\/\/ URL.*`serviceCatalog.previousReleases\[1\].version` must be a version such as "0.1.0"; got: "latest"/,
    );
  });
});

describe('keeping the repository on delete through every door', () => {
  it.each([['templates/service-catalog-product.yaml'], ['templates/consumer-example.yaml'], ['templates/module/fragments/org-ecr-repository.json']])(
    'lets %s choose RetainOnDelete with a parameter that defaults to the seed\'s delete',
    (file) => {
      // GIVEN
      const t = template(file);
      // WHEN
      const repository = onlyResource(t, 'Custom::OrgEcrRepository');
      // THEN
      expect(repository.RetainOnDelete).toEqual({ Ref: 'RetainOnDelete' });
      expect(t.Parameters?.RetainOnDelete?.Default).toBe('false');
    },
  );
});
