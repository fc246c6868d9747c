/**
 * The only two pieces of the CloudFormation SDK the provider uses, behind one module that is
 * imported dynamically: importing the package itself dynamically would keep all of it in the
 * chunk (every command, waiter and enum, about 100 KiB), since a dynamic import's namespace
 * cannot be tree-shaken. Through this module the chunk holds what DescribeStacks needs.
 */
export { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
