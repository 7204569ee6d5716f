// calculator: validated config → consumer group + transactional producers; SIGTERM stops it within
// SHUTDOWN_TIMEOUT_MS (the in-flight batch commits or aborts; nothing is half-written).
import { loadConfig } from '@drive-deposits/config';
import { createLogger } from '@drive-deposits/logging';
import { loadOrExit, runService } from '@drive-deposits/runtime';
import { calculatorSpec } from './config';
import { createCalculatorService } from './service';

const config = loadOrExit('calculator', () => loadConfig(calculatorSpec));
const logger = createLogger({ service: 'calculator', level: config.logLevel });
const service = createCalculatorService(config, logger);

void runService({
  name: 'calculator',
  logger,
  shutdownTimeoutMs: config.shutdownTimeoutMs,
  start: (control) => service.start(control),
  stop: () => service.stop(),
});
