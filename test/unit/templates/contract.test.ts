/**
 * Every door into the provider speaks the contract of handler/src/contract.ts: the same
 * properties, the same attributes, the same ServiceToken, the same settings. A property added
 * to the contract fails here until every template offers it.
 */
import {
  ATTRIBUTE_NAMES,
  FRAMEWORK_PROPERTIES,
  PROPERTY_NAMES,
  SERVICE_TOKEN_EXPORT_NAME,
  PROVIDER_ROLE_ARN_ENV,
  SERVICE_TOKEN_PARAMETER_NAME,
  Setting,
  SettingDefault,
} from '../../../handler/src/contract';
import { PROVIDER_PARAMETER_SPECS } from '../../../construct/app/stacks/provider-parameters';
import { packageVersion } from '../../../construct/app/stacks/template-stack';
import { OrgEcrRepositoryProvider } from '../../../construct/provider';
import { OrgEcrRepository } from '../../../construct/repository';
import { loadTemplate, repositoryResources, shippedTemplateFiles, absolute, type Template } from '../../helpers/templates';

const CONSUMER_EXAMPLE = 'templates/consumer-example.yaml';
const PRODUCT = 'templates/service-catalog-product.yaml';
const MODULE_FRAGMENT = 'templates/module/fragments/org-ecr-repository.json';
const REPOSITORY_DOORS = [CONSUMER_EXAMPLE, PRODUCT, MODULE_FRAGMENT];

const template = (file: string): Template => loadTemplate(absolute(file));
const onlyRepository = (file: string) => {
  const resources = repositoryResources(template(file));
  expect(resources).toHaveLength(1);
  return resources[0]!;
};
const resourcesOfType = (t: Template, type: string) => Object.entries(t.Resources).filter(([, resource]) => resource.Type === type);

describe('the repository doors (consumer example, Service Catalog product, module fragment)', () => {
  it('declares a Custom::OrgEcrRepository in exactly these three shipped templates', () => {
    // GIVEN
    const files = shippedTemplateFiles();
    // WHEN
    const declaring = files.filter((file) => repositoryResources(template(file)).length > 0);
    // THEN
    expect(declaring.sort()).toEqual([...REPOSITORY_DOORS].sort());
  });

  it.each(REPOSITORY_DOORS)('sets exactly the contract properties plus ServiceToken and ServiceTimeout in %s', (file) => {
    // GIVEN
    const [, resource] = onlyRepository(file);
    // WHEN
    const names = Object.keys(resource.Properties ?? {});
    // THEN
    expect(names.sort()).toEqual([...PROPERTY_NAMES, ...FRAMEWORK_PROPERTIES].sort());
  });

  it.each(REPOSITORY_DOORS)("waits the provider's Lambda timeout plus a minute for an answer in %s", (file) => {
    // GIVEN
    const [, resource] = onlyRepository(file);
    // WHEN
    const timeout = Number(resource.Properties?.ServiceTimeout);
    // THEN
    expect(timeout).toBe(OrgEcrRepositoryProvider.DEFAULT_TIMEOUT_SECONDS + OrgEcrRepository.SERVICE_TIMEOUT_MARGIN_SECONDS);
  });

  it.each(REPOSITORY_DOORS)('outputs the Ref and every attribute of the contract in %s', (file) => {
    // GIVEN
    const t = template(file);
    const [logicalId] = onlyRepository(file);
    // WHEN
    const values = Object.values(t.Outputs ?? {}).map((output) => JSON.stringify(output.Value));
    // THEN
    expect(values).toContain(JSON.stringify({ Ref: logicalId }));
    for (const attribute of ATTRIBUTE_NAMES) expect(values).toContain(JSON.stringify({ 'Fn::GetAtt': [logicalId, attribute] }));
  });

  it.each(REPOSITORY_DOORS)('declares the key outputs only when UseKmsKey is true in %s', (file) => {
    // GIVEN the key attributes, which are empty without a customer key
    const t = template(file);
    const [logicalId] = onlyRepository(file);
    const keyOutputs = Object.values(t.Outputs ?? {}).filter((output) =>
      ['KmsKeyArn', 'KmsKeyArnParameterName'].some((attribute) => JSON.stringify(output.Value) === JSON.stringify({ 'Fn::GetAtt': [logicalId, attribute] })),
    );
    // WHEN their conditions are looked up
    const conditions = keyOutputs.map((output) => (output as { Condition?: string }).Condition);
    // THEN both are conditional on a condition that reads the UseKmsKey parameter
    expect(keyOutputs).toHaveLength(2);
    for (const condition of conditions) {
      expect(condition).toBeDefined();
      expect(JSON.stringify((t as { Conditions?: Record<string, unknown> }).Conditions?.[condition!])).toContain('UseKmsKey');
    }
  });

  it.each([CONSUMER_EXAMPLE, PRODUCT])("imports the provider's published ServiceToken export in %s", (file) => {
    // GIVEN
    const [, resource] = onlyRepository(file);
    // WHEN
    const serviceToken = resource.Properties?.ServiceToken;
    // THEN
    expect(serviceToken).toEqual({ 'Fn::ImportValue': SERVICE_TOKEN_EXPORT_NAME });
  });

  it("reads the provider's published SSM parameter in the module, which may not import exports", () => {
    // GIVEN
    const fragment = template(MODULE_FRAGMENT);
    const [, resource] = onlyRepository(MODULE_FRAGMENT);
    // WHEN
    const parameter = resource.Properties?.ServiceToken as { Ref: string };
    // THEN
    expect(fragment.Parameters?.[parameter.Ref]?.Default).toBe(`{{resolve:ssm:${SERVICE_TOKEN_PARAMETER_NAME}}}`);
  });

  it('constrains the hand-written consumer example parameters exactly as the generated Service Catalog product does', () => {
    // GIVEN
    const product = template(PRODUCT).Parameters ?? {};
    const parameters = template(CONSUMER_EXAMPLE).Parameters ?? {};
    // WHEN
    const shared = Object.keys(parameters).filter((name) => name in product);
    // THEN
    expect(shared).toEqual(expect.arrayContaining(PROPERTY_NAMES.filter((name) => name !== 'Tags')));
    for (const name of shared) {
      const { Description: _a, ...constraints } = parameters[name]!;
      const { Description: _b, ...productConstraints } = product[name]!;
      expect({ [name]: constraints }).toEqual({ [name]: productConstraints });
    }
  });
});

describe('the Service Catalog product template', () => {
  it('labels every parameter and puts each in exactly one group', () => {
    // GIVEN
    const product = template(PRODUCT);
    const parameters = Object.keys(product.Parameters ?? {}).sort();
    // WHEN
    const face = product.Metadata?.['AWS::CloudFormation::Interface'] as { ParameterGroups: Array<{ Parameters: string[] }>; ParameterLabels: Record<string, unknown> };
    // THEN
    expect(Object.keys(face.ParameterLabels).sort()).toEqual(parameters);
    expect(face.ParameterGroups.flatMap((group) => group.Parameters).sort()).toEqual(parameters);
  });
});

describe('the provider template', () => {
  const provider = () => template('templates/provider.yaml');
  const functionOf = (t: Template) => {
    const functions = resourcesOfType(t, 'AWS::Lambda::Function');
    expect(functions).toHaveLength(1);
    return functions[0]![1].Properties as { Environment: { Variables: Record<string, unknown> }; Timeout: number; Role: unknown };
  };

  it('gives the provider Lambda every contract setting, each from its own parameter, and its own role ARN', () => {
    // GIVEN
    const t = provider();
    // WHEN
    const { [PROVIDER_ROLE_ARN_ENV]: roleArn, ...settings } = functionOf(t).Environment.Variables;
    // THEN every platform setting comes from a parameter of its own
    expect(Object.keys(settings).sort()).toEqual(Object.values(Setting).sort());
    const referenced = Object.values(settings).map((value) => (value as { Ref: string }).Ref);
    expect(new Set(referenced).size).toBe(referenced.length);
    for (const name of referenced) expect(t.Parameters).toHaveProperty([name]);
    // AND the role ARN is the function's own role, not something to type in
    expect(roleArn).toEqual({ 'Fn::GetAtt': [expect.any(String), 'Arn'] });
    expect(t.Resources[(roleArn as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0]]?.Type).toBe('AWS::IAM::Role');
  });

  it("defaults each repository-default parameter to the handler's own default, so a raw deploy is as compliant as the CDK one", () => {
    // GIVEN
    const parameters = provider().Parameters ?? {};
    // WHEN
    const defaults = Object.fromEntries(
      ['ImageTagMutability', 'ImageTagMutabilityExclusionFilters', 'UntaggedImageExpiryDays', 'RequireKmsKey'].map((name) => [name, String(parameters[name]?.Default)]),
    );
    // THEN
    expect(defaults).toEqual({
      ImageTagMutability: SettingDefault.ImageTagMutability,
      ImageTagMutabilityExclusionFilters: SettingDefault.ImageTagMutabilityExclusionFilters,
      UntaggedImageExpiryDays: String(SettingDefault.UntaggedImageExpiryDays),
      RequireKmsKey: String(SettingDefault.RequireKmsKey),
    });
  });

  it("runs the provider with the Timeout and MemorySize parameters, whose defaults are the construct's", () => {
    // GIVEN
    const t = provider();
    // WHEN
    const { Timeout, MemorySize } = functionOf(t) as unknown as { Timeout: { Ref: string }; MemorySize: { Ref: string } };
    // THEN
    expect(Timeout).toEqual({ Ref: 'Timeout' });
    expect(MemorySize).toEqual({ Ref: 'MemorySize' });
    expect(Number(t.Parameters?.Timeout?.Default)).toBe(OrgEcrRepositoryProvider.DEFAULT_TIMEOUT_SECONDS);
    expect(Number(t.Parameters?.MemorySize?.Default)).toBe(OrgEcrRepositoryProvider.DEFAULT_MEMORY_SIZE);
  });

  it('publishes the ServiceToken as the contract export and SSM parameter', () => {
    // GIVEN
    const t = provider();
    // WHEN
    const exports = Object.values(t.Outputs ?? {}).map((output) => output.Export);
    const parameters = resourcesOfType(t, 'AWS::SSM::Parameter').map(([, resource]) => resource.Properties?.Name);
    // THEN
    expect(exports).toEqual([{ Name: SERVICE_TOKEN_EXPORT_NAME }]);
    expect(parameters).toEqual([SERVICE_TOKEN_PARAMETER_NAME]);
  });

  it('asks only for its own parameters: nothing from cdk bootstrap, no asset locations', () => {
    // GIVEN
    const t = provider();
    // WHEN
    const parameters = Object.keys(t.Parameters ?? {});
    // THEN
    expect(parameters).toEqual(Object.keys(PROVIDER_PARAMETER_SPECS));
    expect(t).not.toHaveProperty('Rules');
    expect(resourcesOfType(t, 'AWS::CDK::Metadata')).toEqual([]);
  });
});

describe('the StackSet template', () => {
  it('passes every provider template parameter through, constrained the same way', () => {
    // GIVEN
    const provider = template('templates/provider.yaml');
    const stackSet = template('templates/stackset.yaml');
    // WHEN
    const [, resource] = resourcesOfType(stackSet, 'AWS::CloudFormation::StackSet')[0]!;
    const passed = resource.Properties?.Parameters as Array<{ ParameterKey: string; ParameterValue: { Ref: string } }>;
    // THEN
    expect(passed.map((parameter) => parameter.ParameterKey)).toEqual(Object.keys(provider.Parameters ?? {}));
    for (const { ParameterKey, ParameterValue } of passed) {
      expect({ [ParameterKey]: stackSet.Parameters?.[ParameterValue.Ref] }).toEqual({ [ParameterKey]: provider.Parameters?.[ParameterKey] });
    }
  });

  it('rolls the provider out service-managed, to the target OUs and Regions, and to every account that joins them', () => {
    // GIVEN
    const stackSet = template('templates/stackset.yaml');
    // WHEN
    const [, resource] = resourcesOfType(stackSet, 'AWS::CloudFormation::StackSet')[0]!;
    // THEN
    expect(resource.Properties).toMatchObject({
      PermissionModel: 'SERVICE_MANAGED',
      AutoDeployment: { Enabled: true },
      CallAs: { Ref: 'CallAs' },
      StackInstancesGroup: [{ DeploymentTargets: { OrganizationalUnitIds: { Ref: 'TargetOrganizationalUnitIds' } }, Regions: { Ref: 'TargetRegions' } }],
    });
    expect(stackSet.Parameters?.CallAs?.AllowedValues).toEqual(['SELF', 'DELEGATED_ADMIN']);
  });
});

describe('the Service Catalog template', () => {
  it('launches with the role name the provider template gives its launch role', () => {
    // GIVEN
    const catalog = template('templates/service-catalog.yaml');
    const provider = template('templates/provider.yaml');
    // WHEN
    const [, constraint] = resourcesOfType(catalog, 'AWS::ServiceCatalog::LaunchRoleConstraint')[0]!;
    const roleNames = resourcesOfType(provider, 'AWS::IAM::Role').map(([, role]) => role.Properties?.RoleName);
    // THEN
    expect(roleNames).toContainEqual(constraint.Properties?.LocalRoleName);
    expect(constraint.Properties).not.toHaveProperty('RoleArn');
  });

  it("names the product's current version by the ProductVersion parameter, whose default is the package version", () => {
    // GIVEN
    const catalog = template('templates/service-catalog.yaml');
    // WHEN
    const [, product] = resourcesOfType(catalog, 'AWS::ServiceCatalog::CloudFormationProduct')[0]!;
    // THEN
    expect((product.Properties?.ProvisioningArtifactParameters as Array<{ Name: unknown }>)[0]?.Name).toEqual({ Ref: 'ProductVersion' });
    expect(catalog.Parameters?.ProductVersion?.Default).toBe(packageVersion());
  });
});
