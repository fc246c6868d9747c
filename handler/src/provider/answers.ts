/**
 * What the provider reads and answers, as pure functions of a request or a desired state: the
 * environment from the stack id, the reads before converging, the attributes it returns, and
 * the physical id carried by an error.
 */
import type { ResourceOutcome, ResourceRequest } from '../cfn/types';
import { Attribute, Property } from '../contract';
import { environmentFromStackId } from '../core/desired';
import type { Desired, Environment, Owner } from '../core/model';
import { InvalidPropertiesError } from '../errors';
import type { ObservationQuery } from './ports';

export function environmentOf(request: ResourceRequest): Environment {
  const env = environmentFromStackId(request.stackId);
  if (!env) throw new InvalidPropertiesError([`StackId is not a CloudFormation stack ARN: ${request.stackId}`]);
  return env;
}

/**
 * The keys an Update took out of `Tags` (old properties as written, whatever else they hold):
 * removed even when the stack's tags cannot be read, since only a stack tag may be kept then.
 */
export function removedTagKeys(oldProperties: Readonly<Record<string, unknown>> | undefined, tags: Readonly<Record<string, string>>): string[] {
  const old = oldProperties?.[Property.Tags];
  if (!Array.isArray(old)) return [];
  const keys = old.flatMap((tag: unknown) => (typeof tag === 'object' && tag !== null && typeof (tag as { Key?: unknown }).Key === 'string' ? [(tag as { Key: string }).Key] : []));
  return keys.filter((key) => !Object.hasOwn(tags, key));
}

/**
 * What Update and Delete read besides the names they know: this resource's parameters under
 * any name, by their ownership tags, and the key the `_kms_key_arn` parameter names.
 */
export function ownedLookups(repositoryName: string, owner: Owner, keyParameterName: string | undefined): Pick<ObservationQuery, 'ownedParametersOf' | 'keyParameterName'> {
  return { ownedParametersOf: { owner, repositoryName }, ...(keyParameterName === undefined ? {} : { keyParameterName }) };
}

/** {@link ownedLookups} for whichever desired state the Update settles on. */
export function ownedLookupsOf(owner: Owner): (desired: Desired) => Pick<ObservationQuery, 'ownedParametersOf' | 'keyParameterName'> {
  return (desired) => ownedLookups(desired.repositoryName, owner, desired.parameters.kmsKeyArn?.name);
}

/** What to read before converging a desired state. */
export function queryFor(desired: Desired): ObservationQuery {
  return {
    repositoryName: desired.repositoryName,
    repositoryArn: desired.repositoryArn,
    aliasName: desired.aliasName,
    parameterNames: [desired.parameters.arn.name, desired.parameters.name.name, ...(desired.parameters.kmsKeyArn ? [desired.parameters.kmsKeyArn.name] : [])],
    includeKey: desired.key !== undefined,
  };
}

export function outcome(desired: Desired, keyArn: string | undefined): ResourceOutcome {
  return {
    physicalResourceId: desired.repositoryName,
    data: {
      [Attribute.RepositoryName]: desired.repositoryName,
      [Attribute.RepositoryArn]: desired.repositoryArn,
      [Attribute.RepositoryUri]: desired.repositoryUri,
      [Attribute.KmsKeyArn]: desired.key ? (keyArn ?? '') : '',
      [Attribute.ArnParameterName]: desired.parameters.arn.name,
      [Attribute.NameParameterName]: desired.parameters.name.name,
      [Attribute.KmsKeyArnParameterName]: desired.parameters.kmsKeyArn?.name ?? '',
    },
  };
}

export function withPhysicalId(error: unknown, physicalResourceId: string): unknown {
  if (error !== null && typeof error === 'object') {
    Object.defineProperty(error, 'physicalResourceId', { value: physicalResourceId, enumerable: false, configurable: true });
    return error;
  }
  return Object.assign(new Error(String(error)), { physicalResourceId });
}

