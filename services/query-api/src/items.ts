// The items of the query API's answers (spec §6 response shapes), from read-model documents.
import type { BankDoc, DepositDoc, PortfolioDoc } from '@drive-deposits/read-model';

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
