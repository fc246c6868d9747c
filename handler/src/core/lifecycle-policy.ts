/**
 * The lifecycle policy is shared ground, like the repository policy: a team may add its own
 * rules by hand (keep `release-*` longer, expire `pr-*` sooner). The provider owns the rules
 * whose description carries {@link LIFECYCLE_RULE_MARKER}, and leaves every other rule as it
 * finds it: an Update never erases a team's rule.
 *
 * Ours go after the team's rules, so a team's stricter or more protective rule on the same
 * images is evaluated first (ECR: an image matched by a rule cannot be expired by a rule of
 * lower priority). ECR allows one rule with `tagStatus: any`, and it must come last.
 */
import { LIFECYCLE_RULE_MARKER, Property, Setting } from '../contract';
import { ConflictError } from '../errors';
import { samePolicy } from './ownership';

export type LifecycleChange = { readonly kind: 'none' } | { readonly kind: 'delete' } | { readonly kind: 'put'; readonly policy: string };

interface Rule {
  rulePriority?: unknown;
  description?: unknown;
  selection?: { tagStatus?: unknown; [field: string]: unknown };
  [field: string]: unknown;
}

/**
 * Our rules, in evaluation order: untagged images expire `untaggedDays` after push; then, with
 * `imagesRetained`, the N most recently pushed images are kept, whatever their tags. Undefined
 * when there is neither: no lifecycle policy (the seed's behaviour).
 */
export function lifecyclePolicy(imagesRetained: number | undefined, untaggedDays?: number): string | undefined {
  const rules: Rule[] = [];
  if (untaggedDays !== undefined) {
    rules.push({
      description: `Expire untagged images ${untaggedDays} days after push (${LIFECYCLE_RULE_MARKER} ${Setting.UntaggedImageExpiryDays})`,
      selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: untaggedDays },
      action: { type: 'expire' },
    });
  }
  if (imagesRetained !== undefined) {
    rules.push({
      description: `Keep the ${imagesRetained} most recently pushed images (${LIFECYCLE_RULE_MARKER} ${Property.ImagesRetained})`,
      selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: imagesRetained },
      action: { type: 'expire' },
    });
  }
  if (rules.length === 0) return undefined;
  return JSON.stringify({ rules: rules.map((rule, index) => ({ rulePriority: index + 1, ...rule })) });
}

/**
 * What to do so the lifecycle policy holds exactly our rules (`ours`, as {@link lifecyclePolicy}
 * writes them) next to everybody else's, which keep their text and priority.
 *
 * @throws ConflictError when `ImagesRetained` and a team's rule both need the one `any` rule.
 */
export function lifecyclePolicyChange(actual: string | null, ours: string | undefined): LifecycleChange {
  const current = rulesOf(actual);
  const foreign = current.filter((rule) => !isOurs(rule));
  const wanted = rulesOf(ours ?? null).map((rule) => ({ ...rule }));
  const foreignAny = foreign.filter((rule) => rule.selection?.tagStatus === 'any');
  const oursAny = wanted.find((rule) => rule.selection?.tagStatus === 'any');
  if (foreignAny.length > 0 && oursAny) {
    throw new ConflictError(
      `\`${Property.ImagesRetained}\` needs the lifecycle policy's one rule with tagStatus "any", and a rule added outside this stack already is one ` +
        `(priority ${String(foreignAny[0]!.rulePriority)}: ${JSON.stringify(foreignAny[0]!.description ?? '')}); ECR allows only one. Remove that rule or ${Property.ImagesRetained}. Nothing was changed.`,
    );
  }

  // Ours after every team rule but an `any` one; an `any` rule always goes last.
  let next = Math.max(0, ...foreign.filter((rule) => !foreignAny.includes(rule)).map(priorityOf)) + 1;
  for (const rule of wanted) rule.rulePriority = next++;
  const last = foreignAny.map((rule) => (priorityOf(rule) >= next ? rule : { ...rule, rulePriority: next++ }));
  const merged = [...foreign.filter((rule) => !foreignAny.includes(rule)), ...wanted, ...last];

  if (merged.length === 0) return actual === null ? { kind: 'none' } : { kind: 'delete' };
  const policy = JSON.stringify({ rules: merged });
  return actual !== null && samePolicy(actual, policy) ? { kind: 'none' } : { kind: 'put', policy };
}

/** Whether the provider wrote this rule (its description carries the marker). */
export function isOurs(rule: unknown): boolean {
  const description = (rule as Rule | null)?.description;
  return typeof description === 'string' && description.includes(LIFECYCLE_RULE_MARKER);
}

function priorityOf(rule: Rule): number {
  return typeof rule.rulePriority === 'number' ? rule.rulePriority : 0;
}

function rulesOf(text: string | null): Rule[] {
  if (text === null) return [];
  try {
    const parsed = JSON.parse(text) as { rules?: unknown };
    return Array.isArray(parsed?.rules) ? parsed.rules.filter((rule): rule is Rule => typeof rule === 'object' && rule !== null) : [];
  } catch {
    return [];
  }
}
