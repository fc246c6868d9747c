/**
 * The repository policy is shared ground: Lambda adds its own statement when a function in
 * the account uses an image, and teams may add theirs. The provider owns its statements by
 * their Sids (sharing.ts), and leaves every other statement as it finds it.
 */
import { samePolicy } from './ownership';
import { PolicySid, PROVIDER_POLICY_SIDS } from './sharing';

/** The Sid of the environment accounts' statement (one of the provider's, see {@link PROVIDER_POLICY_SIDS}). */
export const PULL_STATEMENT_SID = PolicySid.EnvironmentAccountsPull;

export type PolicyChange = { readonly kind: 'none' } | { readonly kind: 'delete' } | { readonly kind: 'set'; readonly policy: string };

interface PolicyDocument {
  Version?: string;
  Statement?: unknown;
  [field: string]: unknown;
}

/**
 * What to do so the repository policy holds our statements (those of `ours`, a policy
 * document) and no other statement of ours, with everybody else's statements kept.
 */
export function repositoryPolicyChange(actual: string | null, ours: string | undefined): PolicyChange {
  const current = parse(actual);
  const others = statementsOf(current).filter((statement) => !isOurs(statement));
  const wanted = [...others, ...statementsOf(parse(ours ?? null))];
  if (wanted.length === 0) return actual === null ? { kind: 'none' } : { kind: 'delete' };
  const merged = JSON.stringify({ ...current, Version: current.Version ?? '2012-10-17', Statement: wanted });
  return actual !== null && samePolicy(actual, merged) ? { kind: 'none' } : { kind: 'set', policy: merged };
}

function parse(text: string | null): PolicyDocument {
  if (text === null) return {};
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as PolicyDocument) : {};
  } catch {
    return {};
  }
}

function statementsOf(document: PolicyDocument): unknown[] {
  const statement = document.Statement;
  if (statement === undefined) return [];
  return Array.isArray(statement) ? statement : [statement];
}

function isOurs(statement: unknown): boolean {
  if (typeof statement !== 'object' || statement === null) return false;
  const sid = (statement as { Sid?: unknown }).Sid;
  return typeof sid === 'string' && PROVIDER_POLICY_SIDS.has(sid);
}
