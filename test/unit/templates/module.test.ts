/**
 * The module type Org::ECR::Repository::MODULE: its fragment keeps the CloudFormation CLI's
 * rules (cloudformation-cli, rpdk/core/fragment: `cfn validate` refuses anything else), its
 * parameters are the contract's properties, and its schema is what `cfn validate` derives.
 */
import { readFileSync } from 'node:fs';
import { FRAMEWORK_PROPERTIES, PROPERTY_NAMES } from '../../../handler/src/contract';
import { MODULE_FRAGMENT_FILE, MODULE_TYPE_NAME, moduleSchema } from '../../../scripts/generated-templates';
import { absolute, loadTemplate } from '../../helpers/templates';

/** The CLI's type-name rule for modules (rpdk/core/module/init_module.py). */
const MODULE_TYPE_NAME_PATTERN = /^[a-zA-Z0-9]{2,64}::[a-zA-Z0-9]{2,64}::[a-zA-Z0-9]{2,64}::MODULE$/;
/** Resource types a fragment may not contain: nested stacks, stack sets, macros. */
const FORBIDDEN_TYPES = ['AWS::CloudFormation::Stack', 'AWS::CloudFormation::StackSet', 'AWS::CloudFormation::Macro'];

const fragment = () => loadTemplate(MODULE_FRAGMENT_FILE);

describe('the module fragment', () => {
  it('has a type name the CloudFormation CLI accepts for a module', () => {
    // GIVEN / WHEN
    const valid = MODULE_TYPE_NAME_PATTERN.test(MODULE_TYPE_NAME);
    // THEN
    expect(valid).toBe(true);
  });

  it('imports nothing, exports nothing and uses no transform, macro or nested stack', () => {
    // GIVEN
    const text = readFileSync(MODULE_FRAGMENT_FILE, 'utf8');
    const t = fragment();
    // WHEN
    const types = Object.values(t.Resources).map((resource) => resource.Type);
    // THEN the CLI refuses the text "Fn::ImportValue" or "!ImportValue" anywhere, descriptions included
    expect(text).not.toMatch(/Fn::ImportValue|!ImportValue/);
    expect(Object.values(t.Outputs ?? {}).filter((output) => 'Export' in output)).toEqual([]);
    expect(t).not.toHaveProperty('Transform');
    expect(text).not.toContain('Fn::Transform');
    expect(types.filter((type) => FORBIDDEN_TYPES.includes(type))).toEqual([]);
  });

  it('takes the contract properties, and the ServiceToken, as string parameters', () => {
    // GIVEN
    const parameters = fragment().Parameters ?? {};
    // WHEN
    const types = Object.values(parameters).map((parameter) => parameter.Type);
    // THEN module parameters are String only: CloudFormation enforces no Type or constraint on them
    expect(Object.keys(parameters).sort()).toEqual([...PROPERTY_NAMES, 'ServiceToken'].sort());
    expect(new Set(types)).toEqual(new Set(['String']));
  });

  it('requires the two name properties and defaults every optional one to what the provider reads as its default', () => {
    // GIVEN
    const parameters = fragment().Parameters ?? {};
    // WHEN
    const defaults = Object.fromEntries(Object.entries(parameters).map(([name, parameter]) => [name, parameter.Default]));
    // THEN
    expect(defaults).toEqual({
      ApplicationName: undefined,
      RepositoryBaseName: undefined,
      UseKmsKey: '',
      ImagesRetained: '',
      ShareableWithAllEnvs: 'false',
      ImageTagMutability: '',
      ImageTagMutabilityExclusionFilters: '',
      RetainOnDelete: 'false',
      ShareWithOrganization: 'false',
      ShareWithOrganizationalUnitPaths: '',
      LambdaPullFromEnvs: 'false',
      Tags: '',
      ServiceToken: '{{resolve:ssm:/org-ecr/service-token}}',
    });
  });

  it('passes each parameter to the property of the same name', () => {
    // GIVEN
    const [resource] = Object.values(fragment().Resources);
    // WHEN
    const passed = Object.entries(resource?.Properties ?? {}).filter(([name]) => name !== 'ServiceTimeout');
    // THEN
    expect(passed).toEqual(expect.arrayContaining([...PROPERTY_NAMES, FRAMEWORK_PROPERTIES[0]].map((name) => [name, { Ref: name }])));
    expect(passed).toHaveLength(PROPERTY_NAMES.length + 1);
  });
});

describe('the module schema', () => {
  it('lists the contract properties and the ServiceToken as the module parameters, and the one resource', () => {
    // GIVEN
    const schema = JSON.parse(readFileSync(absolute('templates/module/schema.json'), 'utf8'));
    // WHEN
    const parameters = Object.keys(schema.properties.Parameters.properties);
    const resources = schema.properties.Resources.properties;
    // THEN
    expect(schema.typeName).toBe(MODULE_TYPE_NAME);
    expect(parameters.sort()).toEqual([...PROPERTY_NAMES, 'ServiceToken'].sort());
    expect(resources).toEqual({ Repository: { type: 'object', properties: { Type: { type: 'string', const: 'Custom::OrgEcrRepository' }, Properties: { type: 'object' } } } });
  });

  it('derives an undescribed parameter as the CLI does: Type required, no description', () => {
    // GIVEN
    const minimal = { Parameters: { Name: { Type: 'String' } }, Resources: { Bucket: { Type: 'AWS::S3::Bucket' } } };
    // WHEN
    const schema = moduleSchema(minimal) as { properties: { Parameters: { properties: Record<string, unknown> } } };
    // THEN
    expect(schema.properties.Parameters.properties.Name).toEqual({ type: 'object', properties: { Type: { type: 'string' } }, required: ['Type'] });
  });
});
