/**
 * A CreateKey the SDK retried after an attempt whose answer was lost (a dropped connection, a
 * server error; adapters/unanswered.ts counts them): KMS may have made a key on that attempt
 * too, which nothing references. Such a key carries this request's token in its description
 * and this resource's ownership tags, so it is found and scheduled for deletion, keeping the
 * key in use. A key that cannot be found is named in the log by the text to look for: none is
 * left silently.
 */
import type { Owner } from '../core/model';
import { belongsToRepository } from '../core/ownership';
import type { Settings } from '../props/settings';
import type { CreateTools } from './create';
import type { Journal } from './execute';

/** How long the search may take on a Create that otherwise succeeded. */
const SEARCH_MS = 10_000;

export interface RetriedKeysRequest {
  readonly owner: Owner;
  readonly settings: Settings;
  readonly repositoryName: string;
  /** The text in the description of every key this request made (create.ts keyRequestToken). */
  readonly token: string;
  /** The key the repository uses: never removed. */
  readonly inUse: string | undefined;
  readonly signal: AbortSignal;
}

/**
 * Looks for the keys made by the attempts `journal` notes as unanswered although their call
 * succeeded in the end, and schedules their deletion. Never throws: the Create has succeeded.
 */
export async function sweepRetriedKeys(tools: Pick<CreateTools, 'keyFinder' | 'compensate' | 'logger'>, journal: Journal, request: RetriedKeysRequest): Promise<void> {
  const extra = journal.uncertain.filter((entry) => entry.type === 'key').length;
  if (extra === 0) return;
  const where = { description: request.token, repository: request.repositoryName, unansweredAttempts: extra };
  const byHand = 'if KMS made a key on that attempt, it carries this description and no repository uses it: schedule its deletion by hand';
  if (!tools.keyFinder) {
    tools.logger.warn(`A CreateKey was retried after an attempt went unanswered; ${byHand}`, where);
    return;
  }
  try {
    const signal = AbortSignal.any([request.signal, AbortSignal.timeout(SEARCH_MS)]);
    const except = request.inUse === undefined ? [] : [request.inUse];
    const found = (await tools.keyFinder.findKeys(request.token, signal, { except, count: extra })).filter(
      (key) => key.arn !== request.inUse && belongsToRepository(key.tags, request.owner, request.repositoryName),
    );
    const remaining = await tools.compensate(
      found.map((key) => ({ type: 'key', arn: key.arn }) as const),
      request.settings,
    );
    const keys = found.map((key) => key.arn);
    if (found.length > 0 && remaining.length === 0) {
      tools.logger.warn('A CreateKey was retried after an attempt went unanswered; the extra key that attempt made was found by its description and scheduled for deletion', { ...where, keys });
    } else if (remaining.length > 0) {
      tools.logger.error(`A CreateKey was retried after an attempt went unanswered; the extra key was found but could not be scheduled for deletion: ${byHand}`, { ...where, keys });
    }
    if (found.length < extra) {
      tools.logger.warn(`A CreateKey was retried after an attempt went unanswered and no extra key was found by its description (the attempt may not have reached KMS, or KMS lists the key later); ${byHand}`, { ...where, keys });
    }
  } catch (error) {
    tools.logger.error(`A CreateKey was retried after an attempt went unanswered and the search for an extra key failed; ${byHand}`, { ...where, error: String(error) });
  }
}
