export * from './types';
export * from './errors';
export { UUID_PATTERN, isUuid } from './uuid';
export {
  validatePortfolioRequest,
  MAX_DEPOSITS_PER_PORTFOLIO,
  type ValidationResult,
} from './validation/validate';
export { parseSubmittedPortfolio } from './validation/parse-submitted';
export type * from './parsed';
export { submitPortfolio, type SubmitPortfolioContext } from './submit';
export { incorrectShown, mustBe } from './validation/messages';
export { calculatePortfolio, calculateEvent } from './calculation/portfolio';
export { calculationFailedEvent } from './calculation/failed';
export { moneyToCents, centsToMoney } from './money';
export { numericDecimalOrSelf } from './decimal-string';
export {
  findSchemasDir,
  repoRoot,
  portfolioRequestSchema,
  portfolioResponseSchema,
  type JsonSchema,
} from './schemas';
export {
  parsePlainDate,
  formatPlainDate,
  addDays,
  toEpochDay,
  fromEpochDay,
  type PlainDate,
} from './plain-date';
