export * from './types';
export * from './errors';
export {
  validatePortfolioRequest,
  MAX_DEPOSITS_PER_PORTFOLIO,
  type ValidationResult,
} from './validation/validate';
export { submitPortfolio, type SubmitPortfolioContext } from './submit';
export { calculatePortfolio, calculateEvent } from './calculation/portfolio';
export { calculationFailedEvent } from './calculation/failed';
export { moneyToCents, centsToMoney } from './money';
export { portfolioRequestSchema, portfolioResponseSchema, type JsonSchema } from './schemas';
export {
  parsePlainDate,
  formatPlainDate,
  addDays,
  toEpochDay,
  fromEpochDay,
  type PlainDate,
} from './plain-date';
