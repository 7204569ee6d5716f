// Portfolio: its status (accepted → calculated | failed, with the reason), followed until it is
// final; then its totals, banks ranked by growth (chart + table), deposits ranked by growth, and
// a maturity timeline: each deposit from its start to its maturity date, in its bank's time zone.
import { getJson } from '../api';
import { drawChart } from '../chart';
import {
  bankRankingOption,
  depositRankingOption,
  describeRanking,
  describeTimeline,
  maturityTimelineOption,
  timelineRows,
} from '../chart-options';
import { h, table } from '../dom';
import type { BankItem, DepositItem, PortfolioStatus, Ranking } from '../types';
import { money, poll, problemBox, type Cleanup } from './common';

const FOLLOW_MS = 1000;
/** 500 banks and 1,000 deposits per bank at most (spec §2); a ranking page holds up to 1,000. */
const TOP_K = 1000;

const STATUS_TEXT: Record<PortfolioStatus['status'], string> = {
  accepted: 'Accepted — being calculated…',
  calculated: 'Calculated',
  failed: 'Failed',
};

function totals(status: PortfolioStatus): HTMLElement {
  const outcome = status.portfolio!.outcome;
  const item = (term: string, value: string | null | undefined, id: string) =>
    h('div', {}, h('dt', {}, term), h('dd', { id, class: 'num' }, value ?? '—'));
  return h(
    'section',
    { 'aria-labelledby': 'totals-heading' },
    h('h2', { id: 'totals-heading' }, 'Totals'),
    h(
      'dl',
      { class: 'totals' },
      item(
        `Delta growth (${outcome.delta ? `${outcome.delta.period} ${outcome.delta.period_unit}` : '—'})`,
        outcome.delta?.growth,
        'total-growth',
      ),
      item('Amount', outcome.maturity?.amount, 'total-amount'),
      item('Interest at maturity', outcome.maturity?.interest, 'total-interest'),
      item('Total at maturity', outcome.maturity?.total, 'total-maturity'),
    ),
    outcome.errors.length > 0
      ? h(
          'ul',
          { class: 'problem' },
          outcome.errors.map((e) => h('li', {}, e.message)),
        )
      : null,
  );
}

/** A heading, a table and the chart of the same data: side by side, or (`wide`) the chart below. */
function chartSection(
  id: string,
  heading: string,
  chartLabel: string,
  rows: number,
  tableEl: HTMLElement,
  wide = false,
) {
  const chart = h('div', { class: 'chart', id: `${id}-chart` });
  const section = h(
    'section',
    { 'aria-labelledby': `${id}-heading`, class: wide ? 'ranking wide' : 'ranking' },
    h('h2', { id: `${id}-heading` }, heading),
    h('div', { class: 'table-box' }, tableEl),
    h(
      'figure',
      { class: 'chart-box' },
      chart,
      h('figcaption', {}, `${heading} (the table is the same data).`),
    ),
  );
  return { section, chart, label: chartLabel, rows };
}

async function details(uuid: string, box: HTMLElement): Promise<void> {
  const q = `order=desc&top_k=${TOP_K}`;
  const [banks, byGrowth, byDate] = await Promise.all([
    getJson<Ranking<BankItem>>(`/portfolios/${uuid}/by-level-for-banks/delta-growth?${q}`),
    getJson<Ranking<DepositItem>>(`/portfolios/${uuid}/by-level-for-deposits/delta-growth?${q}`),
    getJson<Ranking<DepositItem>>(
      `/portfolios/${uuid}/by-level-for-deposits/maturity-date?order=asc&top_k=${TOP_K}`,
    ),
  ]);
  for (const answer of [banks, byGrowth, byDate]) {
    if (!answer.ok) {
      box.replaceChildren(problemBox(answer.problem));
      return;
    }
  }
  if (!banks.ok || !byGrowth.ok || !byDate.ok) return;
  const bankItems = banks.body.data.responses;
  const depositItems = byGrowth.body.data.responses;
  const zones = new Map(bankItems.map((b) => [b.bank_uuid, b.bank_tz]));
  const rows = timelineRows(byDate.body.data.responses, zones);

  const bankSection = chartSection(
    'banks',
    'Banks by delta growth',
    describeRanking(
      'Banks by delta growth',
      bankItems.map((b) => b.bank_name),
      bankItems.map((b) => b.outcome.delta?.growth ?? null),
    ),
    bankItems.length,
    table(
      'Banks by delta growth, highest first',
      ['Bank', 'Time zone', 'Delta growth', 'Amount', 'Interest', 'Total'],
      bankItems.map((b) => [
        b.bank_name,
        b.bank_tz,
        money(b.outcome.delta?.growth),
        money(b.outcome.maturity?.amount),
        money(b.outcome.maturity?.interest),
        money(b.outcome.maturity?.total),
      ]),
    ),
  );
  const depositLabels = depositItems.map((d) => `${d.account} (${d.bank_name})`);
  const depositSection = chartSection(
    'deposits',
    'Deposits by delta growth',
    describeRanking(
      'Deposits by delta growth',
      depositLabels,
      depositItems.map((d) => d.deposit_delta_growth),
    ),
    depositItems.length,
    table(
      'Deposits by delta growth, highest first',
      ['Account', 'Bank', 'Type', 'APY %', 'Years', 'Delta growth', 'Amount', 'Interest', 'Total'],
      depositItems.map((d) => [
        d.account,
        d.bank_name,
        d.account_type,
        d.apy,
        d.years,
        money(d.deposit_delta_growth),
        money(d.outcome.maturity?.amount),
        money(d.outcome.maturity?.interest),
        money(d.outcome.maturity?.total),
      ]),
    ),
    true,
  );
  const timelineSection = chartSection(
    'maturity',
    'Maturity timeline',
    describeTimeline(rows),
    rows.length,
    table(
      "Deposits by maturity date, earliest first (dates in each bank's time zone)",
      ['Account', 'Bank', 'Time zone', 'Start', 'Maturity'],
      byDate.body.data.responses.map((d) => [
        d.account,
        d.bank_name,
        zones.get(d.bank_uuid) ?? '',
        d.outcome_with_dates.start_date_in_bank_tz,
        d.outcome_with_dates.maturity_date_in_bank_tz ?? '—',
      ]),
    ),
    true,
  );
  // A portfolio holds up to 10,000 deposits; the views show the first page of 1,000 of each ranking.
  const more = byGrowth.body.data.next_cursor !== undefined || byDate.body.data.next_cursor !== undefined;
  box.replaceChildren(
    ...(more
      ? [
          h(
            'p',
            { class: 'hint' },
            `This portfolio has more than ${TOP_K} deposits; the first ${TOP_K} of each ranking are shown.`,
          ),
        ]
      : []),
    bankSection.section,
    depositSection.section,
    timelineSection.section,
  );
  drawChart(bankSection.chart, bankRankingOption(bankItems), bankSection.label, bankSection.rows);
  drawChart(
    depositSection.chart,
    depositRankingOption(depositItems),
    depositSection.label,
    depositSection.rows,
  );
  if (rows.length > 0)
    drawChart(
      timelineSection.chart,
      maturityTimelineOption(rows, localToday()),
      timelineSection.label,
      rows.length,
    );
}

/** Today's calendar date where the browser is (YYYY-MM-DD). */
const localToday = () => {
  const now = new Date();
  return new Date(now.getTime() - now.getTimezoneOffset() * 60_000).toISOString().slice(0, 10);
};

export function renderPortfolio(root: HTMLElement, uuid: string): Cleanup {
  const statusLine = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' }, 'Loading…');
  const body = h('div', {});
  root.replaceChildren(
    h('h1', { tabindex: -1 }, 'Portfolio ', h('code', {}, uuid)),
    h('p', {}, 'Status: ', h('strong', { id: 'portfolio-status' }, '…')),
    statusLine,
    body,
  );
  const statusEl = root.querySelector<HTMLElement>('#portfolio-status')!;
  let done = false;
  let stop: Cleanup = () => undefined;

  async function check(): Promise<void> {
    if (done) return;
    const answer = await getJson<PortfolioStatus>(`/portfolios/${uuid}`);
    if (!answer.ok) {
      done = answer.status === 404 || answer.status === 400;
      statusEl.textContent = answer.status === 404 ? 'Unknown' : 'Unavailable';
      body.replaceChildren(problemBox(answer.problem));
      statusLine.textContent = done ? '' : 'Retrying…';
      return;
    }
    const status = answer.body;
    statusEl.textContent = STATUS_TEXT[status.status];
    statusEl.dataset.status = status.status;
    if (status.status === 'accepted') {
      statusLine.textContent = `Following: checked at ${new Date().toLocaleTimeString()}.`;
      return;
    }
    done = true;
    stop();
    if (status.status === 'failed') {
      statusLine.textContent = '';
      body.replaceChildren(
        h(
          'div',
          { class: 'problem', role: 'alert' },
          h(
            'p',
            {},
            'The calculation failed: ',
            h('span', { id: 'failure-reason' }, status.error?.message ?? 'no reason given'),
          ),
          status.error ? h('p', {}, 'Code: ', h('code', {}, status.error.code)) : null,
        ),
      );
      return;
    }
    statusLine.textContent = `Calculated; submitted ${status.created_at ?? ''}.`;
    const detailBox = h('div', {}, h('p', {}, 'Loading rankings…'));
    body.replaceChildren(totals(status), detailBox);
    await details(uuid, detailBox);
  }

  void check();
  stop = poll(check, FOLLOW_MS);
  return () => {
    done = true;
    stop();
  };
}
