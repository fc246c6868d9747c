/**
 * Finds the prebuilt provider bundle (handler/dist, written by `npm run build`), so a
 * consumer's synth needs neither Docker nor esbuild: it only zips a folder.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MissingHandlerBundleError } from './errors';

/** The bundle's entry file; the Lambda handler is `index.handler` (contract HANDLER_ENTRY). */
const ENTRY_FILE = 'index.mjs';

/**
 * The folder holding the bundle. Run from source (construct/*.ts) it is ../handler/dist; from
 * the compiled package (lib/construct/*.js) it is ../../handler/dist.
 *
 * @throws MissingHandlerBundleError naming the build command when neither holds the entry.
 */
export function handlerBundleDirectory(from: string = __dirname): string {
  const candidates = [join(from, '..', 'handler', 'dist'), join(from, '..', '..', 'handler', 'dist')];
  const found = candidates.find((directory) => existsSync(join(directory, ENTRY_FILE)));
  if (found === undefined) {
    throw new MissingHandlerBundleError(
      `The provider's Lambda bundle is missing: no ${ENTRY_FILE} in ${candidates.join(' or ')}. ` +
        'Run `npm run build` in the org-ecr-repository package first, or pass the `code` prop.',
    );
  }
  return found;
}
