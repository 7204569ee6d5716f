// Read-model documents and the pure mapping from events to them. Every field is derived from the
// event alone (no clock, no counters), so replaying an event rewrites identical documents.
import type {
  AccountType,
  Outcome,
  OutcomeWithDates,
  PeriodUnit,
  PortfolioCalculated,
  PortfolioResponse,
  PortfolioSubmitted,
} from '@drive-deposits/core';
import type { AnyBulkWriteOperation } from 'mongodb';
import { growthKey, maturityKey, periodKey } from './keys';

export type PortfolioStatus = 'accepted' | 'calculated' | 'failed';

/**
 * A portfolio's status and ranking fields. Kept lean on purpose: a ranking reads many of these (and
 * FerretDB decodes every one of them per query), so the full result lives in PortfolioResultDoc.
 */
export interface PortfolioDoc {
  _id: string;
  status: PortfolioStatus;
  /** null only for a portfolio known solely from a dead-letter record */
  created_at: string | null;
  correlation_id: string | null;
  submitted_event_id: string | null;
  period: string | null;
  period_unit: PeriodUnit | null;
  period_key: string | null;
  growth_key: string | null;
  outcome: Outcome | null;
  error: { code: string; message: string } | null;
}

/** The full result of a calculated portfolio (status route, idempotent replays), read by `_id` only. */
export interface PortfolioResultDoc {
  _id: string;
  response: PortfolioResponse;
}

export interface BankDoc {
  _id: string;
  portfolio_uuid: string;
  bank_name: string;
  bank_tz: string;
  outcome: Outcome;
  created_at: string;
  growth_key: string | null;
}

export interface DepositDoc {
  _id: string;
  bank_uuid: string;
  bank_name: string;
  portfolio_uuid: string;
  account: string;
  account_type: AccountType;
  apy: string;
  years: string;
  deposit_delta_growth: string | null;
  deposit_maturity_date_in_bank_tz: string | null;
  outcome: Outcome;
  outcome_with_dates: OutcomeWithDates;
  created_at: string;
  growth_key: string | null;
  maturity_key: number | null;
}

const keyOf = (outcome: Outcome): string | null => (outcome.delta ? growthKey(outcome.delta.growth) : null);

/**
 * The writes of each event, as bulkWrite operations per collection. They converge: applying any
 * events of one portfolio, in any order, any number of times, leaves the same documents.
 * - fields both events know ($set by either, identical values): created_at, correlation_id,
 *   submitted_event_id, and the period (a failed calculation has no delta, so only the
 *   submitted event sets the period then);
 * - the result ($set only by PortfolioCalculated; PortfolioSubmitted only $setOnInsert-s `accepted`);
 * - results, banks and deposits are immutable: only PortfolioCalculated writes them, always the same
 *   content for a uuid (the calculation is deterministic), so they are plain inserts and a duplicate
 *   key on replay means "already written" (apply.ts). Inserts are the cheap path of every engine;
 *   on FerretDB a batch of inserts is one SQLite transaction where upserts are one each.
 */
export interface ReadModelWrites {
  portfolios: AnyBulkWriteOperation<PortfolioDoc>[];
  results: AnyBulkWriteOperation<PortfolioResultDoc>[];
  banks: AnyBulkWriteOperation<BankDoc>[];
  deposits: AnyBulkWriteOperation<DepositDoc>[];
}

type PeriodFields = Pick<PortfolioDoc, 'period' | 'period_unit' | 'period_key'>;
const periodFields = (period: string, unit: PeriodUnit): PeriodFields => ({
  period,
  period_unit: unit,
  period_key: periodKey(period, unit),
});

export function writesForSubmitted(event: PortfolioSubmitted): ReadModelWrites {
  const { portfolio } = event;
  const known: Partial<PortfolioDoc> = {
    created_at: portfolio.created_at,
    correlation_id: event.correlation_id,
    submitted_event_id: event.event_id,
    ...periodFields(portfolio.new_delta.period, portfolio.new_delta.period_unit),
  };
  const pending: Partial<PortfolioDoc> = {
    status: 'accepted',
    growth_key: null,
    outcome: null,
    error: null,
  };
  return {
    portfolios: [
      {
        updateOne: {
          filter: { _id: portfolio.uuid },
          update: { $set: known, $setOnInsert: pending },
          upsert: true,
        },
      },
    ],
    results: [],
    banks: [],
    deposits: [],
  };
}

export function writesForCalculated(event: PortfolioCalculated): ReadModelWrites {
  const response = event.portfolio;
  const delta = response.outcome.delta;
  const failed = delta === null || response.outcome.errors.length > 0;
  const result: Partial<PortfolioDoc> = {
    created_at: response.created_at,
    correlation_id: event.correlation_id,
    submitted_event_id: event.source_event_id,
    ...(delta ? periodFields(delta.period, delta.period_unit) : {}),
    status: failed ? 'failed' : 'calculated',
    growth_key: failed ? null : keyOf(response.outcome),
    outcome: response.outcome,
    error: failed
      ? {
          code: 'DD_CALCULATION_FAILED',
          message: response.outcome.errors[0]?.message ?? 'The calculation produced no outcome.',
        }
      : null,
  };
  const unknownPeriod: Partial<PortfolioDoc> = delta
    ? {}
    : { period: null, period_unit: null, period_key: null };

  const banks: AnyBulkWriteOperation<BankDoc>[] = [];
  const deposits: AnyBulkWriteOperation<DepositDoc>[] = [];
  for (const bank of response.banks) {
    const bankDoc: BankDoc = {
      _id: bank.uuid,
      portfolio_uuid: response.uuid,
      bank_name: bank.name,
      bank_tz: bank.bank_tz,
      outcome: bank.outcome,
      created_at: response.created_at,
      growth_key: keyOf(bank.outcome),
    };
    banks.push({ insertOne: { document: bankDoc } });
    for (const deposit of bank.deposits) {
      const maturityDate = deposit.outcome_with_dates.maturity_date_in_bank_tz;
      const depositDoc: DepositDoc = {
        _id: deposit.uuid,
        bank_uuid: bank.uuid,
        bank_name: bank.name,
        portfolio_uuid: response.uuid,
        account: deposit.account,
        account_type: deposit.account_type,
        apy: deposit.apy,
        years: deposit.years,
        deposit_delta_growth: deposit.outcome.delta?.growth ?? null,
        deposit_maturity_date_in_bank_tz: maturityDate,
        outcome: deposit.outcome,
        outcome_with_dates: deposit.outcome_with_dates,
        created_at: response.created_at,
        growth_key: keyOf(deposit.outcome),
        maturity_key: maturityDate === null ? null : maturityKey(maturityDate),
      };
      deposits.push({ insertOne: { document: depositDoc } });
    }
  }
  const fullResult: PortfolioResultDoc = { _id: response.uuid, response };
  return {
    portfolios: [
      {
        updateOne: {
          filter: { _id: response.uuid },
          update: { $set: result, $setOnInsert: unknownPeriod },
          upsert: true,
        },
      },
    ],
    results: failed ? [] : [{ insertOne: { document: fullResult } }],
    banks,
    deposits,
  };
}

/** A submitted event the calculator dead-lettered: the portfolio failed unless it has a result. */
export function writesForDeadLetter(
  portfolioUuid: string,
  error: { code: string; message: string },
): ReadModelWrites {
  return {
    portfolios: [
      {
        updateOne: {
          // Upserts so an undecodable submission still gets a status. A portfolio already
          // calculated does not match, and its upsert then fails with a duplicate key: the
          // projector treats that one error as "nothing to do".
          filter: { _id: portfolioUuid, status: { $ne: 'calculated' } },
          update: {
            $set: { status: 'failed', error },
            $setOnInsert: {
              created_at: null,
              correlation_id: null,
              submitted_event_id: null,
              period: null,
              period_unit: null,
              period_key: null,
              growth_key: null,
              outcome: null,
            },
          },
          upsert: true,
        },
      },
    ],
    results: [],
    banks: [],
    deposits: [],
  };
}

// ---- query items (spec §6 response shapes) ----

export const portfolioItem = (doc: PortfolioDoc) => ({
  portfolio_uuid: doc._id,
  outcome: doc.outcome,
  created_at: doc.created_at,
});

export const bankItem = (doc: BankDoc) => ({
  bank_uuid: doc._id,
  bank_name: doc.bank_name,
  portfolio_uuid: doc.portfolio_uuid,
  bank_tz: doc.bank_tz,
  outcome: doc.outcome,
  created_at: doc.created_at,
});

export const depositItem = (doc: DepositDoc) => ({
  deposit_uuid: doc._id,
  bank_uuid: doc.bank_uuid,
  bank_name: doc.bank_name,
  portfolio_uuid: doc.portfolio_uuid,
  account: doc.account,
  account_type: doc.account_type,
  apy: doc.apy,
  years: doc.years,
  deposit_delta_growth: doc.deposit_delta_growth,
  deposit_maturity_date_in_bank_tz: doc.deposit_maturity_date_in_bank_tz,
  outcome: doc.outcome,
  outcome_with_dates: doc.outcome_with_dates,
  created_at: doc.created_at,
});
