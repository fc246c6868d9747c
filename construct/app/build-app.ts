import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ApplicationHelper } from '../application-helper';
import { STACKS } from './stacks';

/**
 * The CDK app: every stack of `STACKS`, checked by cdk-nag's AwsSolutions pack. A finding
 * that is not acknowledged (with a written reason) fails the synth.
 */
export function buildApp(props: AppProps = {}): App {
  const app = new App(props);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const appHelper = new ApplicationHelper(app);
  for (const defineStack of STACKS) defineStack(app, appHelper);
  return app;
}
