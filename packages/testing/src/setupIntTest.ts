// Per-test timeout of the `int` project: jest reads `testTimeout` only from the global config, so a
// project sets its own here. Real servers and child processes need more than the default 5 s.
jest.setTimeout(120_000);
