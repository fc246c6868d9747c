/**
 * The watch on a CreateKey's attempts, through the real SDK stack (retry strategy, signing,
 * deserialisation) over a fake HTTP handler: an attempt whose answer was lost is counted when
 * the SDK retries it; an answered refusal (throttling) is not; the happy path counts nothing.
 */
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { countUnanswered, watchUnanswered } from '../../../handler/src/adapters/unanswered';

const KEY_ARN = 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';

type Answer = 'ok' | 'drop' | 'throttle' | 'server-error';

/** A KMS client whose every attempt gets the next of `answers` (no network). */
function clientAnswering(answers: Answer[]) {
  const attempts: Answer[] = [];
  const json = (statusCode: number, body: object, headers: Record<string, string> = {}) => ({
    response: { statusCode, reason: '', headers: { 'content-type': 'application/x-amz-json-1.1', ...headers }, body: new TextEncoder().encode(JSON.stringify(body)) },
  });
  const requestHandler = {
    handle: async () => {
      const answer = answers[attempts.length] ?? 'ok';
      attempts.push(answer);
      if (answer === 'drop') throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
      if (answer === 'throttle') return json(400, { __type: 'ThrottlingException', message: 'Rate exceeded' }, { 'x-amzn-errortype': 'ThrottlingException' });
      if (answer === 'server-error') return json(500, { __type: 'KMSInternalException', message: 'internal' }, { 'x-amzn-errortype': 'KMSInternalException' });
      return json(200, { KeyMetadata: { KeyId: 'k', Arn: KEY_ARN } });
    },
  };
  const client = new KMSClient({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, retryMode: 'standard', maxAttempts: 4, requestHandler });
  return { client, attempts };
}

async function createKeyThrough(answers: Answer[]) {
  const { client, attempts } = clientAnswering(answers);
  const command = new CreateKeyCommand({ Description: 'd' });
  const seen = watchUnanswered(command);
  const outcome = await client.send(command).then((output) => ({ arn: output.KeyMetadata?.Arn }), (error: unknown) => ({ error }));
  return { outcome, attempts, unanswered: seen.unanswered };
}

describe('watchUnanswered', () => {
  it('counts nothing on the happy path', async () => {
    expect(await createKeyThrough(['ok'])).toEqual({ outcome: { arn: KEY_ARN }, attempts: ['ok'], unanswered: 0 });
  });

  it('counts an attempt whose connection broke, which the SDK retried', async () => {
    expect(await createKeyThrough(['drop', 'ok'])).toEqual({ outcome: { arn: KEY_ARN }, attempts: ['drop', 'ok'], unanswered: 1 });
  });

  it('counts a server error (AWS may have done it) but not throttling (AWS refused it)', async () => {
    expect(await createKeyThrough(['throttle', 'server-error', 'drop', 'ok'])).toMatchObject({ attempts: ['throttle', 'server-error', 'drop', 'ok'], unanswered: 2 });
  });

  it('counts the unanswered attempts of a call that fails in the end', async () => {
    const { outcome, unanswered } = await createKeyThrough(['drop', 'drop', 'drop', 'drop']);
    expect(outcome).toEqual({ error: expect.objectContaining({ message: 'socket hang up' }) });
    expect(unanswered).toBe(4);
  });
});

describe('countUnanswered', () => {
  it('passes answers and errors through unchanged', async () => {
    const seen = { unanswered: 0 };
    const refused = Object.assign(new Error('no'), { $metadata: { httpStatusCode: 400 } });
    await expect(countUnanswered(seen)(async () => 'answer')(undefined)).resolves.toBe('answer');
    await expect(countUnanswered(seen)(async () => Promise.reject(refused))(undefined)).rejects.toBe(refused);
    expect(seen.unanswered).toBe(0);
  });
});
