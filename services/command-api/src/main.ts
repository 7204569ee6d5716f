// command-api: validated config → adapters → HTTP on PORT; SIGTERM stops it within SHUTDOWN_TIMEOUT_MS.
import { loadConfig } from '@drive-deposits/config';
import { runMain } from '@drive-deposits/runtime';
import { commandApiSpec } from './config';
import { createCommandApiService } from './service';

runMain({
  name: 'command-api',
  load: () => loadConfig(commandApiSpec),
  settings: (config) => config,
  create: (config, logger) => createCommandApiService(config, logger),
});
