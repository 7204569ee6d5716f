// The decide step of the "submit portfolio" command: a validated request becomes the
// PortfolioSubmitted event. Every id and the timestamp are assigned here, once, from what the
// caller passes in, so everything downstream is a pure function of the event.
import type { PortfolioRequest, PortfolioSubmitted } from './types';

export interface SubmitPortfolioContext {
  /** a new lower-case UUID v4 per call; called for the portfolio, then each bank and its deposits in order */
  newId: () => string;
  /** the acceptance time, RFC 3339 UTC (becomes created_at) */
  now: string;
  correlationId: string;
  eventId: string;
  /** the submitter (the token's owner claim); omitted only by callers outside the APIs */
  owner?: string;
}

export function submitPortfolio(
  request: PortfolioRequest,
  context: SubmitPortfolioContext,
): PortfolioSubmitted {
  const portfolioUuid = context.newId();
  return {
    event_id: context.eventId,
    correlation_id: context.correlationId,
    owner: context.owner ?? null,
    portfolio: {
      uuid: portfolioUuid,
      created_at: context.now,
      new_delta: { period: request.new_delta.period, period_unit: request.new_delta.period_unit },
      new_banks: request.new_banks.map((bank) => ({
        uuid: context.newId(),
        name: bank.name,
        bank_tz: bank.bank_tz,
        new_deposits: bank.new_deposits.map((deposit) => ({
          uuid: context.newId(),
          account: deposit.account,
          account_type: deposit.account_type,
          apy: deposit.apy,
          years: deposit.years,
          amount: deposit.amount,
          start_date_in_bank_tz: deposit.start_date_in_bank_tz,
        })),
      })),
    },
  };
}
