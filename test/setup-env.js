// Unit tests synthesize many stacks: the built-in CloudFormation validation costs
// about 2-3 s per process and is kept on for CI's real synth (npm start).
process.env.CDK_VALIDATION = process.env.CDK_VALIDATION ?? 'false';
// The SDK's Node 20 deprecation notice is noise in test output; Lambda runs nodejs24.x.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
