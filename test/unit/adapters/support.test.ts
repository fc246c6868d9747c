import { lazy } from '../../../handler/src/adapters/clients';
import { retrying, sleep } from '../../../handler/src/adapters/retry';
import { fromKeyValue, fromKmsTags, toKeyValue, toKmsTags } from '../../../handler/src/adapters/tags';
import { awsError } from '../../helpers/fake-world';
import { NEVER } from '../../helpers/given';

const noWait = { random: () => 0 };

describe('retrying', () => {
  it('returns the first success after retryable failures', async () => {
    const operation = jest.fn().mockRejectedValueOnce(awsError('TooManyUpdates')).mockResolvedValueOnce('done');
    await expect(retrying(operation, (code) => code === 'TooManyUpdates', NEVER, noWait)).resolves.toBe('done');
    expect(operation).toHaveBeenCalledTimes(2);
  });

  it('fails at once when the error is not retryable', async () => {
    const operation = jest.fn().mockRejectedValue(awsError('AccessDeniedException'));
    await expect(retrying(operation, (code) => code === 'TooManyUpdates', NEVER, noWait)).rejects.toMatchObject({ name: 'AccessDeniedException' });
    expect(operation).toHaveBeenCalledTimes(1);
  });

  it('fails with the last error when the attempts run out', async () => {
    const operation = jest.fn().mockRejectedValue(awsError('TooManyUpdates'));
    await expect(retrying(operation, () => true, NEVER, { ...noWait, attempts: 3 })).rejects.toMatchObject({ name: 'TooManyUpdates' });
    expect(operation).toHaveBeenCalledTimes(3);
  });

  it('stops retrying when the request is aborted', async () => {
    const controller = new AbortController();
    const operation = jest.fn().mockImplementation(async () => {
      controller.abort();
      throw awsError('TooManyUpdates');
    });
    await expect(retrying(operation, () => true, controller.signal, noWait)).rejects.toMatchObject({ name: 'TooManyUpdates' });
    expect(operation).toHaveBeenCalledTimes(1);
  });

  it('waits a jittered, capped exponential delay between attempts', async () => {
    // GIVEN a clock under the test's control
    jest.useFakeTimers();
    try {
      const operation = jest.fn().mockRejectedValueOnce(awsError('X')).mockRejectedValueOnce(awsError('X')).mockResolvedValueOnce('ok');
      const result = retrying(operation, () => true, NEVER, { random: () => 0.5, baseDelayMs: 100, maxDelayMs: 150 });

      // WHEN time passes: 50 ms (half of 100), then 75 ms (half of the 150 cap, not of 200)
      await jest.advanceTimersByTimeAsync(49);
      expect(operation).toHaveBeenCalledTimes(1);
      await jest.advanceTimersByTimeAsync(1);
      expect(operation).toHaveBeenCalledTimes(2);
      await jest.advanceTimersByTimeAsync(75);

      // THEN the third attempt ran and succeeded
      await expect(result).resolves.toBe('ok');
    } finally {
      jest.useRealTimers();
    }
  });
});

describe('sleep', () => {
  it('rejects with the abort reason when aborted while waiting', async () => {
    const controller = new AbortController();
    const waiting = sleep(60_000, controller.signal);
    controller.abort(new Error('deadline'));
    await expect(waiting).rejects.toThrow('deadline');
  });
});

describe('lazy', () => {
  it('loads once and shares the result when called many times', async () => {
    const load = jest.fn().mockResolvedValue({ client: 'kms' });
    const get = lazy(load);
    await Promise.all([get(), get(), get()]);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('loads again after a failed load when called again', async () => {
    const load = jest.fn().mockRejectedValueOnce(new Error('chunk missing')).mockResolvedValueOnce('loaded');
    const get = lazy(load);
    await expect(get()).rejects.toThrow('chunk missing');
    await expect(get()).resolves.toBe('loaded');
  });
});

describe('tag shapes', () => {
  it('converts between maps and the ECR/SSM and KMS list shapes', () => {
    const tags = { team: 'payments', tier: '' };
    expect(fromKeyValue(toKeyValue(tags))).toEqual(tags);
    expect(fromKmsTags(toKmsTags(tags))).toEqual(tags);
    expect(toKmsTags({ a: '1' })).toEqual([{ TagKey: 'a', TagValue: '1' }]);
  });

  it('reads missing lists as no tags and missing values as empty', () => {
    expect(fromKeyValue(undefined)).toEqual({});
    expect(fromKeyValue([{ Key: 'a' }, { Value: 'orphan' }])).toEqual({ a: '' });
    expect(fromKmsTags([{ TagKey: 'a' }])).toEqual({ a: '' });
  });
});
