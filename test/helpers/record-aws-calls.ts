/**
 * Prints, as JSON, the SDK calls a successful run of one story makes (see aws-scenarios.ts).
 * Usage: node --require tsx/cjs test/helpers/record-aws-calls.ts <create|update|delete|delete-foreign>
 */
import { givenMockedAws } from './aws-mocks';
import { arrange, runStory, type Story } from './aws-scenarios';

async function main(story: Story): Promise<void> {
  const aws = givenMockedAws();
  const log = arrange(aws, story);
  const { error } = await runStory(aws, story);
  if (error) throw error;
  process.stdout.write(JSON.stringify(log));
}

main(process.argv[2] as Story).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
