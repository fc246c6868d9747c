import { DeadlineError } from '../../../handler/src/errors';
import { formatMs, planDeadlines, startDeadlineGuard } from '../../../handler/src/cfn/deadline';

describe('planDeadlines', () => {
  it.each([
    // remaining, options, soft, hard, send-by
    ['a 15-minute Lambda', 900_000, {}, 880_000, 895_000, 899_000],
    ['a 30 s Lambda', 30_000, {}, 15_000, 25_000, 29_000],
    ['a 3 s Lambda', 3_000, {}, 1_500, 2_400, 2_700],
    ['a 600 ms test budget with small reserves', 600, { reserveMs: 100, softReserveMs: 200 }, 400, 500, 550],
    ['a budget already spent', 0, {}, 0, 0, 0],
  ])('splits %s into soft, hard and send-by deadlines in that order', (_name, remaining, options, soft, hard, sendBy) => {
    expect(planDeadlines(remaining, options)).toEqual({ remainingMs: remaining, softMs: soft, hardMs: hard, sendByMs: sendBy });
  });

  it('never puts the soft deadline after the hard one when the soft reserve is smaller', () => {
    const plan = planDeadlines(60_000, { reserveMs: 10_000, softReserveMs: 1_000 });
    expect(plan.softMs).toBe(plan.hardMs);
  });

  it('falls back to a 60 s budget when the context reports no number', () => {
    expect(planDeadlines(Number.NaN).remainingMs).toBe(60_000);
  });
});

describe('startDeadlineGuard', () => {
  it('aborts the signal with a DeadlineError at the soft deadline and resolves the hard deadline after', async () => {
    // GIVEN a guard with a 20 ms soft and 40 ms hard deadline
    const guard = startDeadlineGuard({ remainingMs: 100, softMs: 20, hardMs: 40, sendByMs: 90 });

    // WHEN the hard deadline passes
    const hardError = await guard.hardDeadline;

    // THEN the signal was aborted by the soft deadline, each with a reason naming the budget
    expect(guard.signal.aborted).toBe(true);
    expect(guard.signal.reason).toBeInstanceOf(DeadlineError);
    expect(String(guard.signal.reason)).toMatch(/stopped its work 80 ms before its time budget of 100 ms/);
    expect(hardError.message).toMatch(/^The provider ran out of time: .*100 ms .*60 ms kept to answer CloudFormation; what was created stays tagged for the Delete that follows/);
    guard.stop();
  });

  it('leaves the signal alone when stopped before the soft deadline', async () => {
    // GIVEN a guard stopped at once
    const guard = startDeadlineGuard({ remainingMs: 100, softMs: 10, hardMs: 20, sendByMs: 90 });
    guard.stop();

    // WHEN the deadlines would have passed
    await new Promise((resolve) => setTimeout(resolve, 40));

    // THEN nothing fired
    expect(guard.signal.aborted).toBe(false);
  });
});

describe('formatMs', () => {
  it.each([
    [850, '850 ms'],
    [12_500, '12.5 s'],
    [900_000, '15 min'],
  ])('formats %d as %s', (ms, text) => {
    expect(formatMs(ms)).toBe(text);
  });
});
