/**
 * The business handler wired to a fake world: what the provider does, without the SDK.
 */
import type { ResourceHandler, ResourceOutcome, ResourceRequest } from '../../handler/src/cfn/types';
import { createRepositoryHandler, type StackTagReader } from '../../handler/src/provider/provider';
import { FakeWorld } from './fake-world';
import { givenSettingsEnv } from './given';
import { givenExecutionContext, RecordingLogger } from './requests';

/** The business handler with its fake world and recording logger. */
export interface ProviderUnderTest {
  readonly world: FakeWorld;
  readonly logger: RecordingLogger;
  readonly handler: ResourceHandler;
  /** Sends one request, as the protocol layer would. */
  send(request: ResourceRequest): Promise<ResourceOutcome>;
}

/** A business handler over `world` (a new, empty one by default) with the default settings. */
export function givenProvider(options: { world?: FakeWorld; settings?: Record<string, string | undefined>; stackTags?: StackTagReader } = {}): ProviderUnderTest {
  const world = options.world ?? new FakeWorld();
  const logger = new RecordingLogger();
  const settings = options.settings ?? givenSettingsEnv();
  const handler = createRepositoryHandler({ observer: world, runner: world, logger, settings: () => settings, ...(options.stackTags ? { stackTags: options.stackTags } : {}) });
  return { world, logger, handler, send: (request) => handler(request, givenExecutionContext()) };
}
