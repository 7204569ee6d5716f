// The submit form's model ↔ the API's PortfolioRequest (spec §2). Every scalar stays the string the
// person typed: the API validates and echoes exact decimals, the page never turns them into numbers.
import type { AccountType, PeriodUnit } from '@drive-deposits/core';

// The contract's lists, typed by core's (a type-only import: nothing of core is bundled).
export const PERIOD_UNITS = ['Day', 'Week', 'Month', 'Year'] as const satisfies readonly PeriodUnit[];
export const ACCOUNT_TYPES = [
  'Checking',
  'Savings',
  'CertificateOfDeposit',
  'BrokerageCertificateOfDeposit',
] as const satisfies readonly AccountType[];

export interface DepositFields {
  account: string;
  type: string;
  apy: string;
  years: string;
  amount: string;
  start: string;
}

export interface BankFields {
  name: string;
  tz: string;
  deposits: DepositFields[];
}

export interface FormModel {
  period: string;
  periodUnit: string;
  banks: BankFields[];
}

export interface PortfolioRequest {
  new_delta: { period: string; period_unit: string };
  new_banks: Array<{
    name: string;
    bank_tz: string;
    new_deposits: Array<{
      account: string;
      account_type: string;
      apy: string;
      years: string;
      amount: string;
      start_date_in_bank_tz: string;
    }>;
  }>;
}

export const emptyDeposit = (): DepositFields => ({
  account: '',
  type: 'Checking',
  apy: '',
  years: '',
  amount: '',
  start: '',
});

export const emptyBank = (): BankFields => ({ name: '', tz: '', deposits: [emptyDeposit()] });

export const emptyForm = (): FormModel => ({ period: '1', periodUnit: 'Month', banks: [emptyBank()] });

/** Surrounding spaces are a slip of the keyboard, not part of a value. */
const clean = (value: string) => value.trim();

export function toRequest(model: FormModel): PortfolioRequest {
  return {
    new_delta: { period: clean(model.period), period_unit: clean(model.periodUnit) },
    new_banks: model.banks.map((bank) => ({
      name: clean(bank.name),
      bank_tz: clean(bank.tz),
      new_deposits: bank.deposits.map((d) => ({
        account: clean(d.account),
        account_type: clean(d.type),
        apy: clean(d.apy),
        years: clean(d.years),
        amount: clean(d.amount),
        start_date_in_bank_tz: clean(d.start),
      })),
    })),
  };
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const object = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
const array = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/**
 * A pasted request → the form, as far as it fits (what does not fit is left empty for the API to
 * report); undefined when the text is not a JSON object.
 */
export function fromJson(source: string): FormModel | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(source);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const root = parsed as Record<string, unknown>;
  const delta = object(root.new_delta);
  const banks = array(root.new_banks).map((raw) => {
    const bank = object(raw);
    const deposits = array(bank.new_deposits).map((rawDeposit) => {
      const d = object(rawDeposit);
      return {
        account: text(d.account),
        type: text(d.account_type),
        apy: text(d.apy),
        years: text(d.years),
        amount: text(d.amount),
        start: text(d.start_date_in_bank_tz),
      };
    });
    return { name: text(bank.name), tz: text(bank.bank_tz), deposits };
  });
  return { period: text(delta.period), periodUnit: text(delta.period_unit), banks };
}
