/**
 * Errors the constructs throw at synth. Each lists every problem at once, in the words the
 * CDK user wrote (prop names, `cdk.json` context keys, builder calls), so one synth shows
 * all of them.
 */

/**
 * A construct's props break the contract's rules.
 *
 * @jsii ignore jsii cannot extend Error; in other languages these surface as the jsii runtime's error (Python: RuntimeError) with the same message
 */
export class InvalidConstructPropsError extends Error {
  /** The error's name, for logs and `catch` filters. */
  override readonly name = 'InvalidConstructPropsError';
  /**
   * @param constructPath the path of the construct whose props are invalid.
   * @param problems every problem, each naming the prop, its value and what is allowed.
   */
  constructor(
    readonly constructPath: string,
    readonly problems: readonly string[],
  ) {
    super(`${constructPath}: ${problems.join('; ')}`);
  }
}

/**
 * The `cdk.json` context or the builder config breaks the contract's rules.
 *
 * @jsii ignore jsii cannot extend Error; in other languages these surface as the jsii runtime's error (Python: RuntimeError) with the same message
 */
export class InvalidConfigurationError extends Error {
  /** The error's name, for logs and `catch` filters. */
  override readonly name = 'InvalidConfigurationError';
  /** @param problems every problem, each naming the context key or config key and its value. */
  constructor(readonly problems: readonly string[]) {
    super(problems.join('; '));
  }
}

/**
 * The EcrBuilder was used in a way it does not support (a missing piece, `setUsage`).
 *
 * @jsii ignore jsii cannot extend Error; in other languages these surface as the jsii runtime's error (Python: RuntimeError) with the same message
 */
export class BuilderUsageError extends Error {
  /** The error's name, for logs and `catch` filters. */
  override readonly name = 'BuilderUsageError';
}

/**
 * The prebuilt provider bundle (handler/dist) is missing and no `code` was given.
 *
 * @jsii ignore jsii cannot extend Error; in other languages these surface as the jsii runtime's error (Python: RuntimeError) with the same message
 */
export class MissingHandlerBundleError extends Error {
  /** The error's name, for logs and `catch` filters. */
  override readonly name = 'MissingHandlerBundleError';
}
