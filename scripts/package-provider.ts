/**
 * `npm run package`: builds the release artefacts of this version under build/ and prints the
 * commands that upload and deploy them.
 *
 * - build/org-ecr-repository-provider-{version}.zip: the provider Lambda code (handler/dist,
 *   as the CDK construct deploys it), for templates/provider.yaml's CodeKey.
 * - build/org-ecr-repository-module-{version}.zip: the module package (`.rpdk-config`,
 *   `schema.json`, `fragments/`, as `cfn submit --dry-run` lays it out), for `register-type`.
 *
 * Both zips are deterministic (scripts/deterministic-zip.ts): same commit, same bytes.
 * Fill the printed placeholders through the environment: CODE_BUCKET_PREFIX, REGIONS
 * (comma-separated), TEMPLATE_BUCKET, ORGANIZATION_PREFIX.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { PROVIDER_STACKSET_NAME } from '../construct/app/stacks/stackset-stack';
import { packageVersion, providerCodeKey } from '../construct/app/stacks/template-stack';
import { deterministicZip, directoryEntries, type ZipEntry } from './deterministic-zip';
import { MODULE_DIR, MODULE_TYPE_NAME, ROOT } from './generated-templates';

const BUILD_DIR = join(ROOT, 'build');
const HANDLER_DIST = join(ROOT, 'handler', 'dist');

/** S3 keys of this version's artefacts: the version in every key, so a release never overwrites another. */
export function artefactKeys(version: string) {
  return {
    code: providerCodeKey(version),
    providerTemplate: `org-ecr-repository/provider-${version}.yaml`,
    productTemplate: `org-ecr-repository/service-catalog-product-${version}.yaml`,
    module: `org-ecr-repository/module-${version}.zip`,
  };
}

/** The provider code zip's entries: every file of handler/dist at the zip's root (handler `index.handler`). */
export function providerCodeEntries(distDir: string = HANDLER_DIST): ZipEntry[] {
  if (!existsSync(join(distDir, 'index.mjs'))) {
    throw new Error(`No Lambda bundle in ${relative(ROOT, distDir)}/ (index.mjs is missing): run \`npm run build\` first`);
  }
  return directoryEntries(distDir);
}

/** The module package's entries, as `cfn submit` zips a module project. */
export function moduleEntries(moduleDir: string = MODULE_DIR): ZipEntry[] {
  return [
    { path: '.rpdk-config', data: readFileSync(join(moduleDir, '.rpdk-config')) },
    { path: 'schema.json', data: readFileSync(join(moduleDir, 'schema.json')) },
    ...directoryEntries(join(moduleDir, 'fragments'), 'fragments/'),
  ];
}

function writeZip(name: string, entries: ZipEntry[]): { path: string; sha256: string; bytes: number } {
  const zip = deterministicZip(entries);
  const path = join(BUILD_DIR, name);
  writeFileSync(path, zip);
  return { path: relative(ROOT, path), sha256: createHash('sha256').update(zip).digest('hex'), bytes: zip.length };
}

function main(): void {
  const version = packageVersion();
  const keys = artefactKeys(version);
  mkdirSync(BUILD_DIR, { recursive: true });
  const code = writeZip(`org-ecr-repository-provider-${version}.zip`, providerCodeEntries());
  const modulePackage = writeZip(`org-ecr-repository-module-${version}.zip`, moduleEntries());

  const env = process.env;
  const prefix = env.CODE_BUCKET_PREFIX ?? '<CODE_BUCKET_PREFIX>';
  const regions = (env.REGIONS ?? '<REGION>').split(',').map((region) => region.trim()).filter(Boolean);
  const templateBucket = env.TEMPLATE_BUCKET ?? '<TEMPLATE_BUCKET>';
  const organizationPrefix = env.ORGANIZATION_PREFIX ?? '<ORGANIZATION_PREFIX>';
  const first = regions[0] ?? '<REGION>';

  console.log(`org-ecr-repository ${version}
  ${code.path}  ${code.bytes} B  sha256 ${code.sha256}
  ${modulePackage.path}  ${modulePackage.bytes} B  sha256 ${modulePackage.sha256}

1. Upload the code to the {CodeBucketPrefix}-{Region} bucket of every Region (Lambda reads code from its own Region only):
${regions.map((region) => `  aws s3 cp ${code.path} s3://${prefix}-${region}/${keys.code} --region ${region}`).join('\n')}

2a. One account and Region: deploy the provider template.
  aws cloudformation deploy --region ${first} --stack-name org-ecr-repository-provider \\
    --template-file templates/provider.yaml --capabilities CAPABILITY_NAMED_IAM \\
    --parameter-overrides OrganizationPrefix=${organizationPrefix} CodeBucketPrefix=${prefix} CodeKey=${keys.code} \\
      EnvironmentAccounts='{"dev":"111111111111","prod":"222222222222"}' MandatoryTags='{"cost-center":"cc-42"}'

2b. The whole organisation (from the management account, or a delegated administrator with CallAs=DELEGATED_ADMIN):
  aws cloudformation activate-organizations-access --region ${first}
  aws s3 cp templates/provider.yaml s3://${templateBucket}/${keys.providerTemplate}
  aws cloudformation deploy --region ${first} --stack-name ${PROVIDER_STACKSET_NAME}-stackset \\
    --template-file templates/stackset.yaml \\
    --parameter-overrides CallAs=SELF TargetOrganizationalUnitIds=<OU_ID> TargetRegions=${regions.join(',')} \\
      ProviderTemplateUrl=https://${templateBucket}.s3.amazonaws.com/${keys.providerTemplate} \\
      OrganizationPrefix=${organizationPrefix} CodeBucketPrefix=${prefix} CodeKey=${keys.code}

3. The module type Org::ECR::Repository::MODULE (per account and Region that uses it):
  aws s3 cp ${modulePackage.path} s3://${templateBucket}/${keys.module}
  aws cloudformation register-type --region ${first} --type MODULE --type-name ${MODULE_TYPE_NAME} \\
    --schema-handler-package s3://${templateBucket}/${keys.module}

4. Service Catalog (the portfolio's account and Region):
  aws s3 cp templates/service-catalog-product.yaml s3://${templateBucket}/${keys.productTemplate}
  aws cloudformation deploy --region ${first} --stack-name org-ecr-repository-service-catalog \\
    --template-file templates/service-catalog.yaml \\
    --parameter-overrides ProductTemplateUrl=https://${templateBucket}.s3.amazonaws.com/${keys.productTemplate} EndUserRoleName=<ROLE_NAME>

See docs/templates.md for each step.`);
}

if (require.main === module) main();
