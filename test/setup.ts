// The SDK warns once per process that its releases after January 2027 need Node 22; the project
// runs on Node 20 with a locked SDK. Silence it so test output shows the tests.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
