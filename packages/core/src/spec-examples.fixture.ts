// The shapes of the spec's example files, for core's tests (packages/testing reads them).
export interface SingleDepositVector {
  amount: string;
  apy: string;
  years: string;
  period: string;
  period_unit: 'Day' | 'Week' | 'Month' | 'Year';
  interest: string;
  growth: string;
}

interface MaturityDateVector {
  start: string;
  years: string;
  days: number;
  maturity: string;
}

export interface SingleDepositVectors {
  note: string;
  compound: SingleDepositVector[];
  simple: SingleDepositVector[];
  maturity_dates: MaturityDateVector[];
}

interface ExpectedFigures {
  growth: string;
  amount: string;
  interest: string;
  total: string;
}

export interface ExpectedPortfolio {
  request: string;
  delta: { period: string; period_unit: string };
  banks: Array<{
    name: string;
    bank_tz: string;
    deposits: Array<{
      account: string;
      account_type: string;
      apy: string;
      years: string;
      amount: string;
      interest: string;
      total: string;
      growth: string;
      start_date_in_bank_tz: string;
      maturity_date_in_bank_tz: string;
    }>;
    outcome: ExpectedFigures;
  }>;
  portfolio: ExpectedFigures;
}
