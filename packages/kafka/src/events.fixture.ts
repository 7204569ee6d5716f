// Complete example events for tests: every field of the contract set, including the null branches
// (a failed deposit) and non-empty error arrays, so a round trip proves the schemas mirror the types.
import type { Outcome, PortfolioCalculated, PortfolioSubmitted } from '@drive-deposits/core';

const PORTFOLIO = '3f0c1d6e-8f5a-4b7e-9c1d-2a3b4c5d6e7f';
const BANK_1 = '1b2c3d4e-5f60-4718-8a9b-0c1d2e3f4a5b';
const BANK_2 = '2c3d4e5f-6071-4829-9bac-1d2e3f4a5b6c';
const DEPOSIT_1 = '4d5e6f70-8192-4a3b-8c4d-5e6f708192a3';
const DEPOSIT_2 = '5e6f7081-92a3-4b4c-9d5e-6f708192a3b4';

export const exampleSubmitted: PortfolioSubmitted = {
  event_id: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
  correlation_id: 'req-42',
  owner: 'tenant-7',
  portfolio: {
    uuid: PORTFOLIO,
    created_at: '2024-09-05T15:48:34.811Z',
    new_delta: { period: '1', period_unit: 'Month' },
    new_banks: [
      {
        uuid: BANK_1,
        name: 'MOUNTAIN',
        bank_tz: 'America/Chicago',
        new_deposits: [
          {
            uuid: DEPOSIT_1,
            account: '1234N',
            account_type: 'Checking',
            apy: '0.01',
            years: '10',
            amount: '100',
            start_date_in_bank_tz: '2019-01-01',
          },
        ],
      },
      {
        uuid: BANK_2,
        name: 'VALLEY',
        bank_tz: 'Europe/Berlin',
        new_deposits: [
          {
            uuid: DEPOSIT_2,
            account: '9999-CD',
            account_type: 'BrokerageCertificateOfDeposit',
            apy: '5.40',
            years: '1.5',
            amount: '108480.50',
            start_date_in_bank_tz: '2023-11-23',
          },
        ],
      },
    ],
  },
};

const okOutcome = (growth: string, amount: string, interest: string, total: string): Outcome => ({
  delta: { period: '1', period_unit: 'Month', growth },
  maturity: { amount, interest, total },
  errors: [],
});

const failedOutcome = (uuid: string, message: string): Outcome => ({
  delta: null,
  maturity: null,
  errors: [{ uuid, message }],
});

export const exampleCalculated: PortfolioCalculated = {
  event_id: '0b1c2d3e-4f50-4617-8a9b-c0d1e2f3a4b5',
  correlation_id: 'req-42',
  owner: 'tenant-7',
  source_event_id: exampleSubmitted.event_id,
  portfolio: {
    uuid: PORTFOLIO,
    created_at: '2024-09-05T15:48:34.811Z',
    banks: [
      {
        uuid: BANK_1,
        name: 'MOUNTAIN',
        bank_tz: 'America/Chicago',
        deposits: [
          {
            uuid: DEPOSIT_1,
            account: '1234N',
            account_type: 'Checking',
            apy: '0.01',
            years: '10',
            outcome: okOutcome('0.00', '100', '0.10', '100.10'),
            outcome_with_dates: {
              start_date_in_bank_tz: '2019-01-01',
              maturity_date_in_bank_tz: '2028-12-29',
              errors: [],
            },
          },
        ],
        outcome: okOutcome('0.00', '100', '0.10', '100.10'),
      },
      {
        uuid: BANK_2,
        name: 'VALLEY',
        bank_tz: 'Europe/Berlin',
        deposits: [
          {
            uuid: DEPOSIT_2,
            account: '9999-CD',
            account_type: 'BrokerageCertificateOfDeposit',
            apy: '5.40',
            years: '1.5',
            outcome: failedOutcome(DEPOSIT_2, 'calculation failed'),
            outcome_with_dates: {
              start_date_in_bank_tz: '2023-11-23',
              maturity_date_in_bank_tz: null,
              errors: [{ uuid: DEPOSIT_2, message: 'calculation failed' }],
            },
          },
        ],
        outcome: failedOutcome(BANK_2, 'Missing maturity in deposit'),
      },
    ],
    outcome: failedOutcome(PORTFOLIO, 'Missing maturity in deposit'),
  },
};
