// Rankings: the top-k portfolios by delta growth, filtered by order, top_k and period, paged with
// the API's next_cursor; a bar chart beside the table; refreshed every 5 s while the tab is visible.
import { getJson } from '../api';
import { drawChart } from '../chart';
import { describeRanking, portfolioRankingOption, shortId } from '../chart-options';
import { h, table } from '../dom';
import { DEFAULT_FILTERS, filtersFrom, rankingQuery, type RankingFilters } from '../rankings-query';
import { PERIOD_UNITS } from '../request-form';
import type { PortfolioItem, Ranking } from '../types';
import { money, poll, portfolioLink, problemBox, type Cleanup } from './common';

const REFRESH_MS = 5000;

function select(id: string, label: string, options: Array<[string, string]>, value: string) {
  return h(
    'div',
    { class: 'field' },
    h('label', { for: id }, label),
    h(
      'select',
      { id, name: id },
      options.map(([v, text]) => h('option', { value: v, selected: v === value }, text)),
    ),
  );
}

function filtersForm(filters: RankingFilters, onApply: (f: RankingFilters) => void): HTMLFormElement {
  const form = h(
    'form',
    { class: 'filters', 'aria-label': 'Ranking filters' },
    select(
      'order',
      'Order',
      [
        ['desc', 'Highest growth first'],
        ['asc', 'Lowest growth first'],
      ],
      filters.order,
    ),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'top-k' }, 'Top k'),
      h('input', {
        id: 'top-k',
        name: 'top_k',
        type: 'number',
        min: 1,
        max: 1000,
        value: filters.topK,
        inputmode: 'numeric',
      }),
    ),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'period' }, 'Period'),
      h('input', {
        id: 'period',
        name: 'period',
        type: 'text',
        value: filters.period,
        placeholder: 'any',
        inputmode: 'decimal',
        size: 6,
      }),
    ),
    select(
      'period-unit',
      'Period unit',
      [['', 'any'], ...PERIOD_UNITS.map((u): [string, string] => [u, u])],
      filters.periodUnit,
    ),
    h('button', { type: 'submit' }, 'Apply'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const topK = Number(data.get('top_k'));
    onApply({
      order: data.get('order') === 'asc' ? 'asc' : 'desc',
      topK: Number.isInteger(topK) && topK >= 1 && topK <= 1000 ? topK : DEFAULT_FILTERS.topK,
      period: String(data.get('period') ?? ''),
      periodUnit: String(data.get('period-unit') ?? ''),
    });
  });
  return form;
}

export function renderRankings(root: HTMLElement, params: URLSearchParams): Cleanup {
  const filters = filtersFrom(params);
  /** cursors of the pages before the current one, and the current one's */
  const cursors: Array<string | undefined> = [undefined];
  const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' }, 'Loading…');
  const results = h('div', { class: 'ranking' });
  const chart = h('div', { class: 'chart', id: 'rankings-chart' });
  const tableBox = h('div', { class: 'table-box' });
  const pager = h('div', { class: 'pager' });
  results.append(
    tableBox,
    h(
      'figure',
      { class: 'chart-box' },
      chart,
      h('figcaption', {}, 'Delta growth by portfolio (the table is the same data).'),
    ),
  );

  const apply = (next: RankingFilters) => {
    location.hash = `#/rankings?${rankingQuery(next)}`;
  };

  let shownOnce = false;
  async function load(): Promise<void> {
    const cursor = cursors.at(-1);
    const answer = await getJson<Ranking<PortfolioItem>>(
      `/by-level-for-portfolios/delta-growth?${rankingQuery(filters, cursor)}`,
    );
    if (!answer.ok) {
      tableBox.replaceChildren(problemBox(answer.problem));
      status.textContent = 'The ranking could not be loaded.';
      return;
    }
    const items = answer.body.data.responses;
    const page = cursors.length;
    const first = (page - 1) * filters.topK;
    const caption = `Portfolios by delta growth, ${filters.order === 'desc' ? 'highest' : 'lowest'} first${
      filters.periodUnit ? `, period ${filters.period} ${filters.periodUnit}` : ''
    } (page ${page})`;
    tableBox.replaceChildren(
      items.length === 0
        ? h('p', {}, 'No calculated portfolio matches yet. Submit one, and it appears here within seconds.')
        : table(
            caption,
            ['Rank', 'Portfolio', 'Delta growth', 'Period', 'Amount', 'Total at maturity', 'Submitted (UTC)'],
            items.map((item, i) => [
              String(first + i + 1),
              portfolioLink(item.portfolio_uuid, shortId(item.portfolio_uuid)),
              money(item.outcome.delta?.growth),
              item.outcome.delta ? `${item.outcome.delta.period} ${item.outcome.delta.period_unit}` : '—',
              money(item.outcome.maturity?.amount),
              money(item.outcome.maturity?.total),
              item.created_at.slice(0, 16).replace('T', ' '),
            ]),
          ),
    );
    const labels = items.map((item) => shortId(item.portfolio_uuid));
    const values = items.map((item) => item.outcome.delta?.growth ?? null);
    chart.hidden = items.length === 0;
    if (items.length > 0) {
      drawChart(
        chart,
        portfolioRankingOption(items, filters.order),
        describeRanking(caption, labels, values),
        items.length,
      );
    }
    const next = answer.body.data.next_cursor;
    pager.replaceChildren(
      ...[
        page > 1 ? h('button', { type: 'button', id: 'first-page' }, 'First page') : null,
        next !== undefined ? h('button', { type: 'button', id: 'next-page' }, 'Next page') : null,
      ].filter((b) => b !== null),
    );
    pager.querySelector('#first-page')?.addEventListener('click', () => {
      cursors.splice(1);
      void load();
    });
    pager.querySelector('#next-page')?.addEventListener('click', () => {
      cursors.push(next);
      void load().then(() => tableBox.querySelector('table')?.focus());
    });
    status.textContent = `${shownOnce ? 'Updated' : 'Loaded'} at ${new Date().toLocaleTimeString()}; refreshes every ${REFRESH_MS / 1000} s.`;
    shownOnce = true;
  }

  root.replaceChildren(
    h('h1', { tabindex: -1 }, 'Rankings'),
    h(
      'p',
      {},
      'Which portfolios grow most over the chosen period. Select a portfolio to see its banks, deposits and maturity dates.',
    ),
    filtersForm(filters, apply),
    status,
    results,
    pager,
  );
  void load();
  return poll(load, REFRESH_MS);
}
