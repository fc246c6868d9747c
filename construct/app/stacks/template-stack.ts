/**
 * What every stack that is also shipped as a raw template (templates/*.yaml) has in common:
 * deployable with plain `aws cloudformation deploy`, with nothing from `cdk bootstrap` and
 * nothing that changes between two synths of the same code.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type DockerImageAssetLocation,
  type DockerImageAssetSource,
  type FileAssetLocation,
  type FileAssetSource,
  LegacyStackSynthesizer,
  Stack,
  type StackProps,
} from 'aws-cdk-lib';
import type { Construct } from 'constructs';

/** The only template format version CloudFormation knows; raw templates name it, as hand-written ones do. */
export const TEMPLATE_FORMAT_VERSION = '2010-09-09';

/** The context key the CDK CLI sets to write each resource's construct path into its Metadata. */
const PATH_METADATA_CONTEXT_KEY = 'aws:cdk:enable-path-metadata';

/**
 * Nothing from `cdk bootstrap`: no `BootstrapVersion` parameter or rule, no deploy roles to
 * assume, the template inline (the `DefaultStackSynthesizer` adds the first two,
 * `BootstraplessSynthesizer` still assumes the bootstrap deploy role, and
 * `CliCredentialsStackSynthesizer` uploads the template to the bootstrap bucket). Neither
 * `cdk deploy` nor a raw deploy then needs a bootstrapped account. Assets would need the
 * bootstrap bucket (or, here, extra parameters): adding one fails the synth naming the stack,
 * instead of shipping a template that only works where `cdk bootstrap` ran.
 */
export class TemplateSynthesizer extends LegacyStackSynthesizer {
  override addFileAsset(asset: FileAssetSource): FileAssetLocation {
    throw new Error(`${this.boundStack.stackName} is shipped as a raw template and cannot hold assets (file asset ${asset.fileName ?? asset.sourceHash}); pass S3 locations as parameters instead`);
  }

  override addDockerImageAsset(asset: DockerImageAssetSource): DockerImageAssetLocation {
    throw new Error(`${this.boundStack.stackName} is shipped as a raw template and cannot hold assets (image asset ${asset.sourceHash}); pass image URIs as parameters instead`);
  }
}

/**
 * A stack whose template is written to templates/: environment-agnostic (the account and
 * Region are the deploying ones), no CDK version metadata and no construct paths, so the
 * template is the same whoever synthesizes it.
 */
export function newTemplateStack(scope: Construct, id: string, props: Pick<StackProps, 'description'>): Stack {
  const stack = new Stack(scope, id, { ...props, synthesizer: new TemplateSynthesizer(), analyticsReporting: false });
  withoutPathMetadata(stack);
  stack.templateOptions.templateFormatVersion = TEMPLATE_FORMAT_VERSION;
  return stack;
}

/**
 * Keeps construct paths out of the scope's templates, whatever the CLI's context says: they
 * would make the committed templates change with every refactoring of construct ids. Call it
 * before anything is added to the scope.
 */
export function withoutPathMetadata(scope: Construct): void {
  scope.node.setContext(PATH_METADATA_CONTEXT_KEY, false);
}

/** This package's version (package.json): the product version and the code zip's name follow it. */
export function packageVersion(): string {
  const packageJson = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { version: string };
  return packageJson.version;
}

/** The S3 key `npm run package` prints for the provider's code zip of this version. */
export function providerCodeKey(version: string = packageVersion()): string {
  return `org-ecr-repository/provider-${version}.zip`;
}
