/**
 * Parameters of the portfolio stacks that only shape how end users meet the product: who
 * supports it, and which IAM role may launch it.
 */
import { Aws, CfnCondition, CfnParameter, type CfnParameterProps, Fn, type Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

/** Characters of an IAM role name or path segment, plus the pattern wildcards `*` and `?`. */
const ROLE_NAME_CHARACTERS = 'A-Za-z0-9+=,.@_*?-';
/**
 * A role name (up to 64 characters), a path and name (`aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Dev_abc`,
 * without the leading `/`), either with `*` and `?`, or a whole role ARN of one account.
 */
export const END_USER_ROLE_PATTERN = `^$|^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$|^([${ROLE_NAME_CHARACTERS}]+/)*[${ROLE_NAME_CHARACTERS}]{1,64}$`;

/** The `EndUserRoleName` parameter. */
export const END_USER_ROLE_PARAMETER: CfnParameterProps = {
  type: 'String',
  description:
    'The IAM role whose users may launch the product, as a name (Developer), a path and name without the leading / (aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Developer_*, ' +
    'an IAM Identity Center permission set role), either with * and ?: it then applies in this account and every account the portfolio is shared with (share with --share-principals). ' +
    'Or a whole role ARN: that role of that account only. Empty: grant access later.',
  default: '',
  maxLength: 1000,
  allowedPattern: END_USER_ROLE_PATTERN,
  constraintDescription: 'empty, a role name or path/name (letters, digits, +=,.@_-, * and ?; no leading /), or a role ARN arn:aws:iam::123456789012:role/...',
};

/**
 * The principal association for the `EndUserRoleName` value: a role ARN as it is (type `IAM`),
 * anything else as the account-less pattern `arn:{partition}:iam:::role/{path/}{name}` (type
 * `IAM_PATTERN`, which Service Catalog also applies in the accounts the portfolio is shared with).
 */
export function endUserPrincipal(scope: Construct, endUserRoleName: string): { principalArn: string; principalType: string } {
  const isArn = new CfnCondition(scope, 'EndUserRoleIsArn', { expression: Fn.conditionEquals(Fn.select(0, Fn.split(':', Fn.join('', [endUserRoleName, ':']))), 'arn') });
  return {
    principalArn: Fn.conditionIf(isArn.logicalId, endUserRoleName, `arn:${Aws.PARTITION}:iam:::role/${endUserRoleName}`).toString(),
    principalType: Fn.conditionIf(isArn.logicalId, 'IAM', 'IAM_PATTERN').toString(),
  };
}

/** The product's support fields, each left out of the product when empty. */
export function addSupportParameters(stack: Stack): { email: string; url: string; description: string } {
  const optional = (id: string, props: CfnParameterProps) => {
    const value = new CfnParameter(stack, id, { type: 'String', default: '', ...props }).valueAsString;
    const given = new CfnCondition(stack, `Has${id}`, { expression: Fn.conditionNot(Fn.conditionEquals(value, '')) });
    return Fn.conditionIf(given.logicalId, value, Aws.NO_VALUE).toString();
  };
  return {
    email: optional('SupportEmail', {
      description: 'The e-mail address end users write to about the product, shown with it. Empty: none.',
      maxLength: 254,
      allowedPattern: '^$|^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$',
      constraintDescription: 'empty, or an e-mail address',
    }),
    url: optional('SupportUrl', {
      description: 'The page end users read for help with the product (https://...). Empty: none.',
      maxLength: 2083,
      allowedPattern: '^$|^https?://.+$',
      constraintDescription: 'empty, or an http(s):// URL',
    }),
    description: optional('SupportDescription', {
      description: 'How end users get support for the product, shown with it. Empty: none.',
      maxLength: 4096,
    }),
  };
}
