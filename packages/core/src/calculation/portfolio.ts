// calculatePortfolio: a pure function of the parsed portfolio (spec §3, §4). Ids and created_at
// come from the event, so replaying an event gives an identical response. Banks and deposits
// keep request order.
import type { ParsedBank, ParsedDelta, ParsedPortfolio } from '../parsed';
import type { BankResponse, PortfolioCalculated, PortfolioResponse, PortfolioSubmitted } from '../types';
import { parseSubmittedPortfolio } from '../validation/parse-submitted';
import { calculateDeposit, type PreparedDelta } from './deposit';
import { aggregateOutcome, type LevelFigures } from './figures';
import { periodInDays } from './formulas';

function prepareDelta({ period, period_unit }: ParsedDelta): PreparedDelta {
  return { delta: { period: period.text, period_unit }, days: periodInDays(period, period_unit) };
}

interface BankCalculation {
  response: BankResponse;
  figures: LevelFigures | null;
  failedDepositUuids: string[];
}

function calculateBank(bank: ParsedBank, delta: PreparedDelta): BankCalculation {
  const deposits = bank.new_deposits.map((deposit) => calculateDeposit(deposit, delta));
  const figures: LevelFigures[] = [];
  const failedDepositUuids: string[] = [];
  for (const deposit of deposits) {
    if (deposit.figures === null) failedDepositUuids.push(deposit.response.uuid);
    else figures.push(deposit.figures);
  }
  const aggregate = aggregateOutcome(delta.delta, figures, failedDepositUuids);
  return {
    response: {
      uuid: bank.uuid,
      name: bank.name,
      bank_tz: bank.bank_tz,
      deposits: deposits.map((deposit) => deposit.response),
      outcome: aggregate.outcome,
    },
    figures: aggregate.figures,
    failedDepositUuids,
  };
}

/** The full response, all three levels, for a parsed portfolio. */
export function calculatePortfolio(portfolio: ParsedPortfolio): PortfolioResponse {
  const delta = prepareDelta(portfolio.new_delta);
  const banks = portfolio.new_banks.map((bank) => calculateBank(bank, delta));
  const figures: LevelFigures[] = [];
  const failedDepositUuids: string[] = [];
  for (const bank of banks) {
    if (bank.figures !== null) figures.push(bank.figures);
    failedDepositUuids.push(...bank.failedDepositUuids);
  }
  return {
    uuid: portfolio.uuid,
    created_at: portfolio.created_at,
    banks: banks.map((bank) => bank.response),
    outcome: aggregateOutcome(delta.delta, figures, failedDepositUuids).outcome,
  };
}

/**
 * The calculate step of the pipeline: a PortfolioSubmitted event in, its PortfolioCalculated out.
 * `portfolio` is the event's portfolio parsed, when the caller already has it; parsing throws
 * DD_EVENT_INVALID for a portfolio that breaks a rule of spec §2.
 */
export function calculateEvent(
  submitted: PortfolioSubmitted,
  ids: { eventId: string },
  portfolio: ParsedPortfolio = parseSubmittedPortfolio(submitted.portfolio),
): PortfolioCalculated {
  return {
    event_id: ids.eventId,
    correlation_id: submitted.correlation_id,
    source_event_id: submitted.event_id,
    owner: submitted.owner ?? null,
    portfolio: calculatePortfolio(portfolio),
  };
}
