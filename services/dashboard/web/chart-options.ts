// API answers → ECharts options. Pure: no DOM, so every chart's content is unit-tested. Values
// come as exact decimal strings; a chart needs numbers only to size its bars, while the tables
// beside each chart (their text alternative) show the exact strings.
import type { BarSeriesOption } from 'echarts/charts';
import type {
  AriaComponentOption,
  MarkLineComponentOption,
  GridComponentOption,
  LegendComponentOption,
  TooltipComponentOption,
} from 'echarts/components';
import type { ComposeOption } from 'echarts/core';
import type { BankItem, DepositItem, PortfolioItem } from './types';

export type ChartOption = ComposeOption<
  | BarSeriesOption
  | GridComponentOption
  | TooltipComponentOption
  | AriaComponentOption
  | LegendComponentOption
  | MarkLineComponentOption
>;

/** Colours with at least 4.5:1 contrast on white (text) and 3:1 (graphics). */
const COLORS = { bar: '#1f5fa8', text: '#1b1f24', grid: '#c9d1d9', range: '#2e7d4f' };

export const shortId = (uuid: string) => uuid.slice(0, 8);

const amount = (value: string | null | undefined): number => (value == null ? 0 : Number(value));

const growthOf = (item: { outcome: { delta: { growth: string } | null } }) =>
  item.outcome.delta?.growth ?? null;

function rankedBars(
  title: string,
  labels: string[],
  values: Array<string | null>,
  valueName: string,
): ChartOption {
  return {
    aria: { enabled: true, label: { description: title } },
    animation: false,
    textStyle: { color: COLORS.text },
    grid: { left: 8, right: 24, top: 16, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: {
      type: 'value',
      name: valueName,
      nameLocation: 'middle',
      nameGap: 24,
      axisLabel: { color: COLORS.text },
      splitLine: { lineStyle: { color: COLORS.grid } },
    },
    yAxis: {
      type: 'category',
      // The first ranked at the top.
      inverse: true,
      data: labels,
      axisLabel: { color: COLORS.text, width: 170, overflow: 'truncate' },
    },
    series: [
      {
        type: 'bar',
        name: valueName,
        data: values.map((v) => amount(v)),
        itemStyle: { color: COLORS.bar },
        label: {
          show: true,
          position: 'right',
          color: COLORS.text,
          formatter: (p) => values[p.dataIndex] ?? '—',
        },
      },
    ],
  };
}

/** What a chart says in words, for its aria-label: "1. 3f2a… 367.76; 2. …". */
export const describeRanking = (heading: string, labels: string[], values: Array<string | null>) =>
  `${heading}: ${labels.map((label, i) => `${i + 1}. ${label} ${values[i] ?? 'no growth'}`).join('; ')}.`;

export function portfolioRankingOption(items: PortfolioItem[], order: 'asc' | 'desc'): ChartOption {
  const labels = items.map((item) => shortId(item.portfolio_uuid));
  const values = items.map(growthOf);
  const heading = `Portfolios by delta growth, ${order === 'desc' ? 'highest' : 'lowest'} first`;
  return rankedBars(describeRanking(heading, labels, values), labels, values, 'delta growth');
}

export function bankRankingOption(items: BankItem[]): ChartOption {
  const labels = items.map((item) => item.bank_name);
  const values = items.map(growthOf);
  return rankedBars(describeRanking('Banks by delta growth', labels, values), labels, values, 'delta growth');
}

export function depositRankingOption(items: DepositItem[]): ChartOption {
  const labels = items.map((item) => `${item.account} (${item.bank_name})`);
  const values = items.map((item) => item.deposit_delta_growth);
  return rankedBars(
    describeRanking('Deposits by delta growth', labels, values),
    labels,
    values,
    'delta growth',
  );
}

const DAY_MS = 86_400_000;
const YEAR_MS = 365.2425 * DAY_MS;
/** A calendar date (YYYY-MM-DD in the bank's zone) as the UTC midnight of that date: shown in UTC it is that same date. */
export const dateValue = (date: string): number => Date.parse(`${date}T00:00:00Z`);
export const dateText = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
/** A date on the timeline's axis: years since year 0 (2020-01-01 ≈ 2020.0), so ticks fall on whole years. */
export const yearValue = (date: string): number => 1970 + dateValue(date) / YEAR_MS;

export interface TimelineRow {
  label: string;
  bankTz: string;
  start: string;
  maturity: string;
}

/** Deposits ranked by maturity date → one row each; the bank's zone comes from the bank ranking. */
export const timelineRows = (items: DepositItem[], bankTz: ReadonlyMap<string, string>): TimelineRow[] =>
  items.flatMap((item) => {
    const maturity = item.outcome_with_dates.maturity_date_in_bank_tz;
    if (maturity === null) return [];
    return [
      {
        label: `${item.account} (${item.bank_name})`,
        bankTz: bankTz.get(item.bank_uuid) ?? '',
        start: item.outcome_with_dates.start_date_in_bank_tz,
        maturity,
      },
    ];
  });

export const describeTimeline = (rows: TimelineRow[]) =>
  `Maturity timeline, dates in each bank's time zone: ${rows
    .map((r) => `${r.label} from ${r.start} to ${r.maturity}${r.bankTz ? ` (${r.bankTz})` : ''}`)
    .join('; ')}.`;

/**
 * Each deposit as a bar from its start to its maturity date: an invisible bar up to the start with
 * the term stacked on it (ECharts' ranged bars). The axis counts years (whole years are ticks); the
 * dates are calendar dates in the bank's zone, placed at UTC midnight, so no zone shifts them, and
 * the labels and tooltips show them as written.
 */
export function maturityTimelineOption(rows: TimelineRow[], today?: string): ChartOption {
  const starts = rows.map((r) => yearValue(r.start));
  const ends = rows.map((r) => yearValue(r.maturity));
  const now = today === undefined ? [] : [yearValue(today)];
  return {
    aria: { enabled: true, label: { description: describeTimeline(rows) } },
    animation: false,
    textStyle: { color: COLORS.text },
    grid: { left: 8, right: 90, top: 16, bottom: 8, containLabel: true },
    tooltip: {
      trigger: 'item',
      formatter: (p) => {
        const row = rows[(p as { dataIndex: number }).dataIndex];
        return row === undefined ? '' : `${row.label}<br>${row.start} → ${row.maturity}<br>${row.bankTz}`;
      },
    },
    xAxis: {
      type: 'value',
      min: rows.length === 0 ? undefined : Math.floor(Math.min(...starts, ...now)),
      max: rows.length === 0 ? undefined : Math.ceil(Math.max(...ends, ...now)),
      minInterval: 1,
      axisLabel: {
        color: COLORS.text,
        showMinLabel: false,
        formatter: (value: number) => String(Math.round(value)),
      },
      splitLine: { show: true, lineStyle: { color: COLORS.grid } },
    },
    yAxis: {
      type: 'category',
      inverse: true,
      data: rows.map((r) => r.label),
      axisLabel: { color: COLORS.text, width: 170, overflow: 'truncate' },
    },
    series: [
      {
        type: 'bar',
        name: 'before start',
        stack: 'term',
        silent: true,
        itemStyle: { color: 'transparent' },
        data: starts,
      },
      {
        type: 'bar',
        name: 'term',
        stack: 'term',
        itemStyle: { color: COLORS.range },
        data: ends.map((end, i) => end - (starts[i] as number)),
        label: {
          show: true,
          position: 'right',
          color: COLORS.text,
          formatter: (p) => rows[p.dataIndex]?.maturity ?? '',
        },
        // Today, so what has matured and what is still running shows at a glance.
        ...(today === undefined
          ? {}
          : {
              markLine: {
                silent: true,
                symbol: 'none',
                lineStyle: { color: COLORS.text, type: 'dashed' },
                label: { color: COLORS.text, formatter: `today ${today}` },
                data: [{ xAxis: now[0] }],
              },
            }),
      },
    ],
  };
}
