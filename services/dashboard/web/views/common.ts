// Pieces the three views share: headings, status lines, problems, money cells.
import { h } from '../dom';
import type { Problem } from '../types';

export type Cleanup = () => void;

export const problemText = (problem: Problem) =>
  `${problem.detail}${problem.code ? ` (${problem.code})` : ''}`;

/** A problem as an alert, with each field's message. */
export function problemBox(problem: Problem): HTMLElement {
  return h(
    'div',
    { class: 'problem', role: 'alert' },
    h('p', {}, problemText(problem)),
    problem.errors && problem.errors.length > 0
      ? h(
          'ul',
          {},
          problem.errors.map((e) => h('li', {}, h('code', {}, e.path), ': ', e.message)),
        )
      : null,
  );
}

export const money = (value: string | null | undefined) => h('span', { class: 'num' }, value ?? '—');

export const portfolioLink = (uuid: string, text = uuid) => h('a', { href: `#/portfolios/${uuid}` }, text);

/** Repeats `run` every `ms` while the tab is visible (and once at once when it becomes visible again). */
export function poll(run: () => Promise<void>, ms: number): Cleanup {
  let timer: number | undefined;
  let stopped = false;
  const schedule = () => {
    window.clearTimeout(timer);
    if (!stopped && document.visibilityState === 'visible') timer = window.setTimeout(tick, ms);
  };
  const tick = async () => {
    if (stopped) return;
    await run();
    schedule();
  };
  const onVisibility = () => {
    if (document.visibilityState === 'visible') void tick();
    else window.clearTimeout(timer);
  };
  document.addEventListener('visibilitychange', onVisibility);
  schedule();
  return () => {
    stopped = true;
    window.clearTimeout(timer);
    document.removeEventListener('visibilitychange', onVisibility);
  };
}
