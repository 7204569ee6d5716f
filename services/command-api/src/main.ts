// command-api: validated config → adapters → HTTP on PORT; SIGTERM stops it within SHUTDOWN_TIMEOUT_MS.
import { runMain } from '@drive-deposits/runtime';
import { loadCommandApiConfig } from './config';
import { createCommandApiService } from './service';

runMain({
  name: 'command-api',
  load: () => loadCommandApiConfig(),
  settings: (config) => config.service,
  create: (config, logger) => createCommandApiService(config, logger),
});
