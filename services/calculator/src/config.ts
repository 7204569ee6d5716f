// The calculator's environment variables: declared in packages/config (services.ts), documented in
// docs/operations.md ("Configuration").
import { calculatorConfigSpec, loadConfig, type ConfigOf } from '@drive-deposits/config';

export { calculatorConfigSpec };

export type CalculatorConfig = ConfigOf<typeof calculatorConfigSpec>;

export const loadCalculatorConfig = (env?: NodeJS.ProcessEnv): CalculatorConfig =>
  loadConfig(calculatorConfigSpec, env);
