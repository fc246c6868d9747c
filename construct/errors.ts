/**
 * Errors the constructs throw at synth. Each lists every problem at once, in the words the
 * CDK user wrote (prop names, `cdk.json` context keys, builder calls), so one synth shows
 * all of them.
 */

/** A construct's props break the contract's rules. */
export class InvalidConstructPropsError extends Error {
  override readonly name = 'InvalidConstructPropsError';
  constructor(
    readonly constructPath: string,
    readonly problems: readonly string[],
  ) {
    super(`${constructPath}: ${problems.join('; ')}`);
  }
}

/** The `cdk.json` context or the builder config breaks the contract's rules. */
export class InvalidConfigurationError extends Error {
  override readonly name = 'InvalidConfigurationError';
  constructor(readonly problems: readonly string[]) {
    super(problems.join('; '));
  }
}

/** The EcrBuilder was used in a way it does not support (a missing piece, `setUsage`). */
export class BuilderUsageError extends Error {
  override readonly name = 'BuilderUsageError';
}

/** The prebuilt provider bundle (handler/dist) is missing and no `code` was given. */
export class MissingHandlerBundleError extends Error {
  override readonly name = 'MissingHandlerBundleError';
}
