export { runCli, USAGE, EXIT_OK, EXIT_INVALID_REQUEST, EXIT_USAGE, type CliEnvironment } from './cli';
export { seededIds } from './seeded-ids';
