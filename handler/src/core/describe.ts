/** How an action is named in logs and error messages. */
import type { Action } from './model';

/** The resource an action touches, for the audit log. */
export function targetOf(action: Action): string {
  switch (action.kind) {
    case 'kms.createKey':
      return 'new key';
    case 'kms.createAlias':
    case 'kms.deleteAlias':
    case 'kms.updateAlias':
      return action.aliasName;
    case 'kms.enableKeyRotation':
    case 'kms.disableKeyRotation':
      return 'arn' in action.key ? action.key.arn : 'new key';
    case 'ecr.createRepository':
    case 'ecr.putImageScanningConfiguration':
    case 'ecr.putImageTagMutability':
    case 'ecr.putLifecyclePolicy':
    case 'ecr.deleteLifecyclePolicy':
    case 'ecr.setRepositoryPolicy':
    case 'ecr.deleteRepositoryPolicy':
    case 'ecr.deleteRepository':
      return action.repositoryName;
    case 'ecr.tagResource':
    case 'ecr.untagResource':
      return action.repositoryArn;
    case 'ssm.putParameter':
    case 'ssm.addTagsToResource':
    case 'ssm.removeTagsFromResource':
      return action.name;
    case 'ssm.deleteParameters':
      return action.names.join(',');
    default:
      return action.keyArn;
  }
}
