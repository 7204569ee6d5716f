// Every vector of the spec's examples, compared as exact strings.
import { specExample } from '@drive-deposits/testing';
import { validatePortfolioRequest } from '../validation/validate';
import { fixedFromDecimalString } from '../fixed-decimal';
import { decimalConstant } from '../decimal-string';
import { bank, deposit, FIXED_NOW, parsed, request, submitted } from '../requests.fixture';
import type { ExpectedPortfolio, SingleDepositVector, SingleDepositVectors } from '../spec-examples.fixture';
import type { AccountType, PortfolioRequest } from '../types';
import { termInDays } from './formulas';
import { parseSubmittedPortfolio } from '../validation/parse-submitted';
import { calculatePortfolio } from './portfolio';

const vectors = specExample<SingleDepositVectors>('single-deposit-vectors.json');
const START_DATE = '2023-11-23'; // the vectors' note: the start date of every vector

function calculateOne(vector: SingleDepositVector, accountType: AccountType) {
  const response = calculatePortfolio(
    parsed(
      request(
        [
          bank([
            deposit({
              account_type: accountType,
              apy: vector.apy,
              years: vector.years,
              amount: vector.amount,
              start_date_in_bank_tz: START_DATE,
            }),
          ]),
        ],
        vector.period,
        vector.period_unit,
      ),
    ),
  );
  return response.banks[0]!.deposits[0]!;
}

describe('single-deposit vectors (single-deposit-vectors.json)', () => {
  const compoundTypes: AccountType[] = ['Checking', 'Savings', 'CertificateOfDeposit'];

  describe.each(compoundTypes)('compound, as %s', (accountType) => {
    test.each(vectors.compound)('$amount at $apy% for $years years, delta $period $period_unit', (vector) => {
      const result = calculateOne(vector, accountType);
      expect(result.outcome.errors).toEqual([]);
      expect(result.outcome.maturity?.amount).toBe(vector.amount);
      expect(result.outcome.maturity?.interest).toBe(vector.interest);
      expect(result.outcome.delta).toEqual({
        period: vector.period,
        period_unit: vector.period_unit,
        growth: vector.growth,
      });
    });
  });

  test.each(vectors.simple)(
    'simple (BrokerageCertificateOfDeposit): $amount at $apy% for $years years, delta $period $period_unit',
    (vector) => {
      const result = calculateOne(vector, 'BrokerageCertificateOfDeposit');
      expect(result.outcome.errors).toEqual([]);
      expect(result.outcome.maturity?.interest).toBe(vector.interest);
      expect(result.outcome.delta?.growth).toBe(vector.growth);
    },
  );

  test.each(vectors.maturity_dates)('maturity: $start + $years years = $days days → $maturity', (vector) => {
    expect(termInDays(fixedFromDecimalString(decimalConstant(vector.years)))).toBe(vector.days);
    const dated = calculatePortfolio(
      parsed(request([bank([deposit({ years: vector.years, start_date_in_bank_tz: vector.start })])])),
    ).banks[0]!.deposits[0]!;
    expect(dated.outcome_with_dates).toEqual({
      start_date_in_bank_tz: vector.start,
      maturity_date_in_bank_tz: vector.maturity,
      errors: [],
    });
  });
});

describe('the example portfolio (portfolio-request-valid.json)', () => {
  const expected = specExample<ExpectedPortfolio>('portfolio-request-valid.expected.json');
  const input = specExample<unknown>(expected.request);
  const validated = validatePortfolioRequest(input);
  if (!validated.ok)
    throw new Error(`the spec's example request is invalid: ${JSON.stringify(validated.errors)}`);
  const portfolio = submitted(validated.value as PortfolioRequest);
  const response = calculatePortfolio(parseSubmittedPortfolio(portfolio));
  const delta = expected.delta;

  test('portfolio level', () => {
    expect(response.uuid).toBe(portfolio.uuid);
    expect(response.created_at).toBe(FIXED_NOW);
    expect(response.outcome).toEqual({
      delta: { ...delta, growth: expected.portfolio.growth },
      maturity: {
        amount: expected.portfolio.amount,
        interest: expected.portfolio.interest,
        total: expected.portfolio.total,
      },
      errors: [],
    });
  });

  test('bank level, in request order', () => {
    expect(response.banks.map((b) => b.name)).toEqual(expected.banks.map((b) => b.name));
    expected.banks.forEach((expectedBank, i) => {
      const actual = response.banks[i]!;
      expect(actual.uuid).toBe(portfolio.new_banks[i]!.uuid);
      expect(actual.bank_tz).toBe(expectedBank.bank_tz);
      expect(actual.outcome).toEqual({
        delta: { ...delta, growth: expectedBank.outcome.growth },
        maturity: {
          amount: expectedBank.outcome.amount,
          interest: expectedBank.outcome.interest,
          total: expectedBank.outcome.total,
        },
        errors: [],
      });
    });
  });

  test('deposit level, in request order', () => {
    expected.banks.forEach((expectedBank, i) => {
      expect(response.banks[i]!.deposits).toEqual(
        expectedBank.deposits.map((d, j) => ({
          uuid: portfolio.new_banks[i]!.new_deposits[j]!.uuid,
          account: d.account,
          account_type: d.account_type,
          apy: d.apy,
          years: d.years,
          outcome: {
            delta: { ...delta, growth: d.growth },
            maturity: { amount: d.amount, interest: d.interest, total: d.total },
            errors: [],
          },
          outcome_with_dates: {
            start_date_in_bank_tz: d.start_date_in_bank_tz,
            maturity_date_in_bank_tz: d.maturity_date_in_bank_tz,
            errors: [],
          },
        })),
      );
    });
  });
});
