// query-api: validated config → MongoDB → HTTP on PORT; SIGTERM stops it within SHUTDOWN_TIMEOUT_MS.
import { runMain } from '@drive-deposits/runtime';
import { loadQueryApiConfig } from './config';
import { createQueryApiService } from './service';

runMain({
  name: 'query-api',
  load: () => loadQueryApiConfig(),
  settings: (config) => config.service,
  create: createQueryApiService,
});
