/** Entry point of `cdk synth` (cdk.json "app"); the context comes from cdk.json and `-c`. */
import { buildApp } from './build-app';

buildApp().synth();
