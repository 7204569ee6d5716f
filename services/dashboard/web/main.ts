// The dashboard page: a hash router over three views, the bearer-token field, and focus moved to
// each view's heading when it opens (keyboard and screen-reader users land at its start).
import { disposeCharts } from './chart';
import { getToken, setToken } from './token';
import type { Cleanup } from './views/common';
import { renderPortfolio } from './views/portfolio';
import { renderRankings } from './views/rankings';
import { renderSubmit } from './views/submit';

const main = document.getElementById('main')!;
let cleanup: Cleanup = () => undefined;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function route(): void {
  cleanup();
  disposeCharts(main);
  const hash = location.hash.replace(/^#/, '') || '/rankings';
  const [path = '', query = ''] = hash.split('?', 2);
  const params = new URLSearchParams(query);
  const portfolio = /^\/portfolios\/(.+)$/.exec(path)?.[1];
  let current: string;
  if (path === '/submit') {
    current = 'submit';
    cleanup = renderSubmit(main);
  } else if (portfolio !== undefined && UUID.test(portfolio)) {
    current = 'portfolio';
    cleanup = renderPortfolio(main, portfolio);
  } else {
    current = 'rankings';
    cleanup = renderRankings(main, params);
  }
  for (const link of Array.from(document.querySelectorAll<HTMLAnchorElement>('nav a'))) {
    if (link.dataset.view === current) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  document.title = `${main.querySelector('h1')?.textContent ?? 'Dashboard'} — DriveDeposits`;
  main.querySelector<HTMLElement>('h1')?.focus();
}

function lookUp(event: Event): void {
  event.preventDefault();
  const field = document.getElementById('lookup-uuid') as HTMLInputElement;
  const uuid = field.value.trim().toLowerCase();
  if (UUID.test(uuid)) {
    field.removeAttribute('aria-invalid');
    location.hash = `#/portfolios/${uuid}`;
  } else {
    field.setAttribute('aria-invalid', 'true');
    document.getElementById('lookup-error')!.textContent = 'A portfolio id is a UUID, e.g. 3f2a…-…';
    field.focus();
  }
}

const tokenField = document.getElementById('token') as HTMLInputElement;
tokenField.value = getToken();
tokenField.addEventListener('change', () => setToken(tokenField.value));
document.getElementById('lookup')!.addEventListener('submit', lookUp);
window.addEventListener('hashchange', route);
route();

// The skip link moves focus without touching the address (the address is the router's).
document.querySelector('.skip')!.addEventListener('click', (event) => {
  event.preventDefault();
  main.focus();
});
