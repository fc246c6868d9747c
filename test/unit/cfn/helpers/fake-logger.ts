/**
 * A logger that records every call, so tests can read what would reach CloudWatch.
 */
import type { ProtocolLogger } from '../../../../handler/src/cfn/types';

/** One recorded call. */
export interface LogLine {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
  readonly extra: readonly Record<string, unknown>[];
  readonly keys: Readonly<Record<string, string>>;
}

/** Records lines together with the keys appended at the time. */
export class FakeLogger implements ProtocolLogger {
  readonly lines: LogLine[] = [];
  readonly appendedKeys: Record<string, string>[] = [];
  resets = 0;
  private keys: Record<string, string> = {};

  debug(message: string, ...extra: Record<string, unknown>[]): void {
    this.record('debug', message, extra);
  }
  info(message: string, ...extra: Record<string, unknown>[]): void {
    this.record('info', message, extra);
  }
  warn(message: string, ...extra: Record<string, unknown>[]): void {
    this.record('warn', message, extra);
  }
  error(message: string, ...extra: Record<string, unknown>[]): void {
    this.record('error', message, extra);
  }
  appendKeys(keys: Record<string, string>): void {
    this.appendedKeys.push(keys);
    this.keys = { ...this.keys, ...keys };
  }
  resetKeys(): void {
    this.resets += 1;
    this.keys = {};
  }

  /** Everything logged, as one searchable text (as a JSON logger would print it). */
  text(): string {
    return JSON.stringify(this.lines, (_key, value: unknown) =>
      value instanceof Error ? { name: value.name, message: value.message, stack: value.stack, cause: value.cause } : value,
    );
  }

  /** The lines whose message contains `fragment`. */
  find(fragment: string): LogLine[] {
    return this.lines.filter((line) => line.message.includes(fragment));
  }

  private record(level: LogLine['level'], message: string, extra: Record<string, unknown>[]): void {
    this.lines.push({ level, message, extra, keys: { ...this.keys } });
  }
}
