// The read-model documents: what the projector writes and the query API reads. Every field is
// derived from events alone (no clock, no counters), so replaying an event rewrites identical documents.
import type {
  AccountType,
  Outcome,
  OutcomeWithDates,
  PeriodUnit,
  PortfolioDeleted,
  PortfolioResponse,
  PortfolioSubmitted,
} from '@drive-deposits/core';
import type { Filter, UpdateFilter } from 'mongodb';
import { periodKey } from './keys';

/** `deleted`: a tombstone of an erased portfolio (no data but its id and owner), so a late event cannot bring it back. */
export type PortfolioStatus = 'accepted' | 'calculated' | 'failed' | 'deleted';

/**
 * A portfolio's status and ranking fields. Kept lean on purpose: a ranking reads many of these, so
 * the full result lives in PortfolioResultDoc.
 */
export interface PortfolioDoc {
  _id: string;
  status: PortfolioStatus;
  /**
   * who may read it (the submitter's owner claim); null for a portfolio submitted before
   * authentication, which no owner can read until rebuilt with an owner (README "Owners")
   */
  owner: string | null;
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

type PeriodFields = Pick<PortfolioDoc, 'period' | 'period_unit' | 'period_key'>;
export const periodFields = (period: string, unit: PeriodUnit): PeriodFields => ({
  period,
  period_unit: unit,
  period_key: periodKey(period, unit),
});

/**
 * The status document a submitted portfolio starts as: `document` whole, and as an upsert of its
 * `_id` (`update`). The projector upserts it for PortfolioSubmitted: the status only `$setOnInsert`,
 * every other field a value of the event, so a `calculated` or `failed` portfolio never turns
 * `accepted` again. The command API inserts `document` before its 202 (so the Location never
 * answers 404) and takes a duplicate key as done: whatever is there already is this portfolio's
 * status, and the projector's upsert sets the event's fields in any case.
 */
export function acceptedPortfolio(event: PortfolioSubmitted): {
  _id: string;
  update: UpdateFilter<PortfolioDoc>;
  document: PortfolioDoc;
} {
  const { portfolio } = event;
  const fromEvent = {
    owner: event.owner ?? null,
    created_at: portfolio.created_at,
    correlation_id: event.correlation_id,
    submitted_event_id: event.event_id,
    ...periodFields(portfolio.new_delta.period, portfolio.new_delta.period_unit),
  };
  const initial = { status: 'accepted' as const, growth_key: null, outcome: null, error: null };
  return {
    _id: portfolio.uuid,
    update: { $set: fromEvent, $setOnInsert: initial },
    document: { _id: portfolio.uuid, ...fromEvent, ...initial },
  };
}

/**
 * The filter of every upsert of a portfolio's status document: its `_id`, unless it is a tombstone.
 * Upserting a tombstone's `_id` then fails with a duplicate key, which the writers take as "deleted:
 * nothing to write", so no event of a deleted portfolio, however late, brings it back.
 */
export const livePortfolio = (_id: string): Filter<PortfolioDoc> => ({ _id, status: { $ne: 'deleted' } });

/**
 * The tombstone a deleted portfolio becomes (an upsert of its `_id`, whatever its state): its id,
 * its owner and `deleted`, every other field null. Written by the command API before it answers the
 * DELETE (so GET answers 404 at once) and by the projector for PortfolioDeleted.
 */
export function deletedPortfolio(event: PortfolioDeleted): {
  _id: string;
  update: UpdateFilter<PortfolioDoc>;
} {
  return {
    _id: event.portfolio_uuid,
    update: {
      $set: {
        status: 'deleted',
        owner: event.owner,
        created_at: null,
        correlation_id: null,
        submitted_event_id: null,
        period: null,
        period_unit: null,
        period_key: null,
        growth_key: null,
        outcome: null,
        error: null,
      },
    },
  };
}
