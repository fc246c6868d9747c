/**
 * The SDK clients' default credential provider, split in two for the cold start: credentials
 * from the environment first (what Lambda gives every function), and the SDK's full default
 * chain (`@aws-sdk/credential-provider-node`: profiles, SSO, process, web identity, container
 * and instance metadata) loaded only when the environment has none.
 *
 * The build (scripts/build-handler.mjs) points the clients' own import of
 * `@aws-sdk/credential-provider-node` here and bundles credential-chain.ts separately, so the
 * chain and the STS/SSO clients it brings are not on a cold start's path. Measured in
 * docs/performance.md.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';
import type { defaultProvider as sdkDefaultProvider } from '@aws-sdk/credential-provider-node';

/** What the SDK's default provider takes (profile, logger, SSO fields...). */
export type DefaultProviderInit = NonNullable<Parameters<typeof sdkDefaultProvider>[0]>;
export type CredentialProvider = ReturnType<typeof sdkDefaultProvider>;
export type ChainModule = { readonly defaultProvider: typeof sdkDefaultProvider };

/**
 * The SDK's default provider with the same behaviour: static credentials from
 * AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (with AWS_SESSION_TOKEN...) unless a profile is
 * asked for (`init.profile` or AWS_PROFILE, which the SDK prefers); otherwise the full chain.
 */
export function defaultProvider(init: DefaultProviderInit = {}): CredentialProvider {
  return createDefaultProvider(init, () => import('./credential-chain'));
}

/**
 * {@link defaultProvider} with the loader of the full chain as a seam.
 *
 * @param loadChain loads the SDK's full default chain; called at most once per provider, and
 *   only when the environment has no credentials (or a profile is asked for)
 */
export function createDefaultProvider(init: DefaultProviderInit, loadChain: () => Promise<ChainModule>): CredentialProvider {
  const fromEnvironment = fromEnv(init);
  let chain: Promise<CredentialProvider> | undefined;
  const fullChain = () => {
    chain ??= loadChain().then(
      (module) => module.defaultProvider(init),
      (error: unknown) => {
        chain = undefined;
        throw error;
      },
    );
    return chain;
  };
  return async (options) => {
    const profile = init.profile ?? process.env.AWS_PROFILE;
    if (!profile && process.env.AWS_ACCESS_KEY_ID && process.env.AWS_SECRET_ACCESS_KEY) return fromEnvironment();
    return (await fullChain())(options);
  };
}
