// calculator: validated config → consumer group + transactional producers; SIGTERM stops it within
// SHUTDOWN_TIMEOUT_MS (the in-flight batch commits or aborts; nothing is half-written).
import { loadConfig } from '@drive-deposits/config';
import { runMain } from '@drive-deposits/runtime';
import { calculatorSpec } from './config';
import { createCalculatorService } from './service';

runMain({
  name: 'calculator',
  load: () => loadConfig(calculatorSpec),
  settings: (config) => config,
  create: createCalculatorService,
});
