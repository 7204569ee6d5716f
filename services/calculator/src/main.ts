// calculator: validated config → consumer group + transactional producers; SIGTERM stops it within
// SHUTDOWN_TIMEOUT_MS (the in-flight batch commits or aborts; nothing is half-written).
import { runMain } from '@drive-deposits/runtime';
import { loadCalculatorConfig } from './config';
import { createCalculatorService } from './service';

runMain({
  name: 'calculator',
  load: () => loadCalculatorConfig(),
  settings: (config) => config.service,
  create: createCalculatorService,
});
