// command-api: validated config → adapters → HTTP on PORT; SIGTERM stops it within SHUTDOWN_TIMEOUT_MS.
import { loadConfig } from '@drive-deposits/config';
import { createLogger } from '@drive-deposits/logging';
import { loadOrExit, runService } from '@drive-deposits/runtime';
import { commandApiSpec } from './config';
import { createCommandApiService } from './service';

const config = loadOrExit('command-api', () => loadConfig(commandApiSpec));
const logger = createLogger({ service: 'command-api', level: config.logLevel });
const service = createCommandApiService(config, logger);

void runService({
  name: 'command-api',
  logger,
  shutdownTimeoutMs: config.shutdownTimeoutMs,
  start: () => service.start(),
  stop: () => service.stop(),
});
