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

/** Where a field is: in the delta, in bank `bank`, or in deposit `deposit` of that bank. */
interface Place {
  bank?: number;
  deposit?: number;
}

/** `new_banks[0].new_deposits[1].apy`, as a request's paths; built only for an error. */
function pathOf(name: string, { bank, deposit }: Place): string {
  if (bank === undefined) return `new_delta.${name}`;
  const bankPath = `new_banks[${bank}]`;
  return deposit === undefined ? `${bankPath}.${name}` : `${bankPath}.new_deposits[${deposit}].${name}`;
}

/** Collects every broken rule, each with its path, in the order the fields are written. */
class Parse {
  readonly errors: FieldError[] = [];

  field<T>(rule: FieldRule<T>, value: unknown, name: string, place: Place): T {
    const parsed = parseField(rule, value);
    if (parsed.ok) return parsed.value;
    this.errors.push({ path: pathOf(name, place), message: parsed.message });
    return undefined as T; // never used: any error fails the whole parse
  }

  /** A decimal field as the calculation takes it: canonical text and exact value. */
  decimal(rule: FieldRule<DecimalString>, value: unknown, name: string, place: Place): ParsedDecimal {
    const parsed = parseField(rule, value);
    if (!parsed.ok) {
      this.errors.push({ path: pathOf(name, place), message: parsed.message });
      return undefined as never; // never used: any error fails the whole parse
    }
    const { units, scale } = fixedFromDecimalString(parsed.value);
    return { units, scale, text: parsed.text };
  }
}

function parseDeposit(parse: Parse, deposit: SubmittedDeposit, place: Place): ParsedDeposit {
  return {
    uuid: deposit.uuid,
    account: deposit.account,
    account_type: parse.field(RULES.account_type, deposit.account_type, 'account_type', place),
    apy: parse.decimal(RULES.apy, deposit.apy, 'apy', place),
    years: parse.decimal(RULES.years, deposit.years, 'years', place),
    amount: parse.decimal(RULES.amount, deposit.amount, 'amount', place),
    start_date_in_bank_tz: parse.field(
      RULES.start_date_in_bank_tz,
      deposit.start_date_in_bank_tz,
      'start_date_in_bank_tz',
      place,
    ),
  };
}

function parseBank(parse: Parse, bank: SubmittedBank, index: number): ParsedBank {
  return {
    uuid: bank.uuid,
    name: bank.name,
    bank_tz: parse.field(RULES.bank_tz, bank.bank_tz, 'bank_tz', { bank: index }),
    new_deposits: bank.new_deposits.map((deposit, i) =>
      parseDeposit(parse, deposit, { bank: index, deposit: i }),
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
      period: parse.decimal(RULES.period, portfolio.new_delta.period, 'period', {}),
      period_unit: parse.field(RULES.period_unit, portfolio.new_delta.period_unit, 'period_unit', {}),
    },
    new_banks: portfolio.new_banks.map((bank, i) => parseBank(parse, bank, i)),
  };
  if (parse.errors.length === 0) return parsed;
  const listed = parse.errors.map((e) => `${e.path}: ${e.message}`).join('; ');
  throw new DriveDepositsError('DD_EVENT_INVALID', `PortfolioSubmitted fails validation: ${listed}`, {
    errors: parse.errors,
  });
}
