/**
 * The part of `@aws-sdk/client-kms` the adapters call: the bare client and one command class
 * per KMS operation we make, loaded lazily by createClients() (index.ts) as its own chunk.
 * Named re-exports (not the package's namespace, whose aggregated `KMS` client pulls in every
 * command) let the bundler drop the rest of KMS. A new KMS call needs its command added here;
 * the type-check says so (`sdk.XCommand` does not exist on KmsModule).
 */
export {
  CancelKeyDeletionCommand,
  CreateAliasCommand,
  CreateKeyCommand,
  DeleteAliasCommand,
  DescribeKeyCommand,
  DisableKeyRotationCommand,
  EnableKeyCommand,
  EnableKeyRotationCommand,
  KMSClient,
  ListKeysCommand,
  ListResourceTagsCommand,
  PutKeyPolicyCommand,
  ScheduleKeyDeletionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateAliasCommand,
} from '@aws-sdk/client-kms';
