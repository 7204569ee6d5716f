// A submitted portfolio (from a PortfolioSubmitted event) parsed for the calculation with the
// request's own field rules (fields.ts): the one guard against an event that decodes but breaks
// a domain rule (written by an older or a foreign producer). Its structure is the Avro schema's,
// already enforced by decoding, so only the fields' domain rules are applied, not the HTTP
// validation: a name's or an account's length, or the number of banks, changes no calculation.
import { DriveDepositsError, type FieldError } from '../errors';
import type { DecimalString } from '../decimal-string';
import { fixedFromDecimalString } from '../fixed-decimal';
import type { ParsedBank, ParsedDecimal, ParsedDeposit, ParsedPortfolio } from '../parsed';
import type { SubmittedBank, SubmittedDeposit, SubmittedPortfolio } from '../types';
import { FIELD_RULES as RULES, parseField, type FieldRule } from './fields';

/** Collects every broken rule, each with its path, in the order the fields are written. */
class Parse {
  readonly errors: FieldError[] = [];

  field<T>(rule: FieldRule<T>, value: unknown, path: string): T {
    const parsed = parseField(rule, value);
    if (parsed.ok) return parsed.value;
    this.errors.push({ path, message: parsed.message });
    return undefined as T; // never used: any error fails the whole parse
  }

  /** A decimal field as the calculation takes it: canonical text and exact value. */
  decimal(rule: FieldRule<DecimalString>, value: unknown, path: string): ParsedDecimal {
    const parsed = parseField(rule, value);
    if (parsed.ok) return { text: parsed.text, value: fixedFromDecimalString(parsed.value) };
    this.errors.push({ path, message: parsed.message });
    return undefined as never; // never used: any error fails the whole parse
  }
}

function parseDeposit(parse: Parse, deposit: SubmittedDeposit, path: string): ParsedDeposit {
  return {
    uuid: deposit.uuid,
    account: deposit.account,
    account_type: parse.field(RULES.account_type, deposit.account_type, `${path}.account_type`),
    apy: parse.decimal(RULES.apy, deposit.apy, `${path}.apy`),
    years: parse.decimal(RULES.years, deposit.years, `${path}.years`),
    amount: parse.decimal(RULES.amount, deposit.amount, `${path}.amount`),
    start_date_in_bank_tz: parse.field(
      RULES.start_date_in_bank_tz,
      deposit.start_date_in_bank_tz,
      `${path}.start_date_in_bank_tz`,
    ),
  };
}

function parseBank(parse: Parse, bank: SubmittedBank, path: string): ParsedBank {
  return {
    uuid: bank.uuid,
    name: bank.name,
    bank_tz: parse.field(RULES.bank_tz, bank.bank_tz, `${path}.bank_tz`),
    new_deposits: bank.new_deposits.map((deposit, i) =>
      parseDeposit(parse, deposit, `${path}.new_deposits[${i}]`),
    ),
  };
}

/**
 * The portfolio as the calculation takes it. Throws DD_EVENT_INVALID listing every broken rule
 * (paths as in a request: `new_banks[0].new_deposits[1].apy`).
 */
export function parseSubmittedPortfolio(portfolio: SubmittedPortfolio): ParsedPortfolio {
  const parse = new Parse();
  const parsed: ParsedPortfolio = {
    uuid: portfolio.uuid,
    created_at: portfolio.created_at,
    new_delta: {
      period: parse.decimal(RULES.period, portfolio.new_delta.period, 'new_delta.period'),
      period_unit: parse.field(RULES.period_unit, portfolio.new_delta.period_unit, 'new_delta.period_unit'),
    },
    new_banks: portfolio.new_banks.map((bank, i) => parseBank(parse, bank, `new_banks[${i}]`)),
  };
  if (parse.errors.length === 0) return parsed;
  const listed = parse.errors.map((e) => `${e.path}: ${e.message}`).join('; ');
  throw new DriveDepositsError('DD_EVENT_INVALID', `PortfolioSubmitted fails validation: ${listed}`, {
    errors: parse.errors,
  });
}
