/**
 * The SDK's full default credential chain, loaded by credentials.ts only when the environment
 * has no credentials. Bundled on its own (scripts/build-handler.mjs): credential-chain.mjs.
 */
export { defaultProvider } from '@aws-sdk/credential-provider-node';
