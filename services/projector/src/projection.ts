// The projection: what each event means for the read models, as bulk writes per collection (pure;
// apply.ts writes them). Mapping an event throws only on a broken contract (decide.ts dead-letters it).
import type {
  Outcome,
  PortfolioCalculated,
  PortfolioDeleted,
  PortfolioSubmitted,
} from '@drive-deposits/core';
import {
  acceptedPortfolio,
  deletedPortfolio,
  livePortfolio,
  growthKey,
  maturityKey,
  periodFields,
  type BankDoc,
  type DepositDoc,
  type PortfolioDoc,
  type PortfolioResultDoc,
} from '@drive-deposits/read-model';
import type { AnyBulkWriteOperation } from 'mongodb';

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
 *   key on replay means "already written" (apply.ts). Inserts are the cheap path of every engine.
 */
export interface ReadModelWrites {
  portfolios: AnyBulkWriteOperation<PortfolioDoc>[];
  results: AnyBulkWriteOperation<PortfolioResultDoc>[];
  banks: AnyBulkWriteOperation<BankDoc>[];
  deposits: AnyBulkWriteOperation<DepositDoc>[];
}

export function writesForSubmitted(event: PortfolioSubmitted): ReadModelWrites {
  const { _id, update } = acceptedPortfolio(event);
  return {
    ...emptyWrites(),
    portfolios: [{ updateOne: { filter: livePortfolio(_id), update, upsert: true } }],
  };
}

/**
 * A deletion: the tombstone, and every other document of the portfolio gone. Convergent too: a
 * submitted or calculated event applied later finds the tombstone (livePortfolio) and writes
 * nothing to it, and apply.ts removes what such an event inserted (results, banks, deposits).
 */
export function writesForDeleted(event: PortfolioDeleted): ReadModelWrites {
  const { _id, update } = deletedPortfolio(event);
  const portfolio_uuid = event.portfolio_uuid;
  return {
    portfolios: [{ updateOne: { filter: { _id }, update, upsert: true } }],
    results: [{ deleteOne: { filter: { _id } } }],
    banks: [{ deleteMany: { filter: { portfolio_uuid } } }],
    deposits: [{ deleteMany: { filter: { portfolio_uuid } } }],
  };
}

export function writesForCalculated(event: PortfolioCalculated): ReadModelWrites {
  const response = event.portfolio;
  const delta = response.outcome.delta;
  const failed = delta === null || response.outcome.errors.length > 0;
  const result: Partial<PortfolioDoc> = {
    // An event from before authentication has no owner: it keeps the submitted event's (if any).
    ...(event.owner ? { owner: event.owner } : {}),
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
  const unknownPeriod: Partial<PortfolioDoc> = {
    ...(delta ? {} : { period: null, period_unit: null, period_key: null }),
    ...(event.owner ? {} : { owner: null }),
  };

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
          filter: livePortfolio(response.uuid),
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

const KINDS = ['portfolios', 'results', 'banks', 'deposits'] as const satisfies (keyof ReadModelWrites)[];
export type WriteKind = (typeof KINDS)[number];
export { KINDS as WRITE_KINDS };

const emptyWrites = (): ReadModelWrites => ({ portfolios: [], results: [], banks: [], deposits: [] });

export function mergeWrites(all: readonly ReadModelWrites[]): ReadModelWrites {
  const merged = emptyWrites();
  for (const writes of all) {
    for (const kind of KINDS) (merged[kind] as unknown[]).push(...writes[kind]);
  }
  return merged;
}

export const countWrites = (writes: ReadModelWrites): number =>
  KINDS.reduce((sum, kind) => sum + writes[kind].length, 0);
