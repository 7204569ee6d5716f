// The dashboard as a person meets it: the five built services as real processes on real Kafka, the
// schema registry and MongoDB, and Debian's Chromium driven by playwright-core. Submit through the
// form and as pasted JSON, follow the portfolio to `calculated`, find it in the rankings; every
// field's problem beside its field; axe-core on each view; no request leaves the dashboard's origin.
// Screenshots of each view go to .run/artifacts/dashboard/. The APIs verify bearer tokens (the test
// key of packages/testing): every page starts with a test token in its "Bearer token" field's storage,
// and the test's own calls of the APIs send one of the same owner.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildServices,
  isolatedEnv,
  REPO_ROOT,
  signTestToken,
  startServiceProcess,
  testAuthorization,
  type ServiceProcess,
} from '@drive-deposits/testing';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { fieldIdOf } from '../services/dashboard/web/problem-paths';

// page.evaluate's callbacks run in the browser; the tests compile without DOM types.
declare const window: any, document: any, sessionStorage: any, localStorage: any, getComputedStyle: any;

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = join(REPO_ROOT, '.run/artifacts/dashboard');
const SPEC_REQUEST = join(REPO_ROOT, '../shared/spec/examples/portfolio-request-valid.json');
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const { env } = isolatedEnv('dashboard');
/** web/token.ts's sessionStorage key */
const TOKEN_KEY = 'drive-deposits.bearer-token';
const services: ServiceProcess[] = [];
const url = (name: string) => services.find((s) => s.name === name)!.url;
let dashboard: string;
let browser: Browser;
let context: BrowserContext;
/** every request any page of the test made, and those to another origin */
const requested: string[] = [];
const foreign: string[] = [];
/** what axe found on each view: impact → rule ids */
const axeFindings: Record<string, Record<string, string[]>> = {};
/** page load figures per view, printed at the end */
const timings: Record<string, Record<string, number | undefined>> = {};

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is missing: ${CHROMIUM} does not exist. The browser tests drive Debian's Chromium ` +
        '(apt-get install chromium; scripts/test.sh installs it), or set CHROMIUM_PATH to a Chromium binary.',
    );
  }
  if (!existsSync(SPEC_REQUEST))
    throw new Error(`spec example missing: ${SPEC_REQUEST} (shared/ beside the repo)`);
  buildServices();
  for (const service of ['calculator', 'projector', 'query-api', 'command-api'] as const) {
    services.push(await startServiceProcess(service, env(service)));
  }
  services.push(
    await startServiceProcess('dashboard', {
      COMMAND_API_URL: url('command-api'),
      QUERY_API_URL: url('query-api'),
    }),
  );
  dashboard = url('dashboard');
  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  // Each page is a new tab with its own sessionStorage: give it the token a person would type into
  // the "Bearer token" field (web/token.ts keeps it there), unless the tab already holds one.
  await context.addInitScript(
    ([key, token]) => {
      try {
        if (!sessionStorage.getItem(key)) sessionStorage.setItem(key, token);
      } catch {
        // a document without storage (about:blank)
      }
    },
    [TOKEN_KEY, signTestToken({ expiresIn: 3600 })] as const,
  );
  // Anything for another origin is recorded and refused: the page must need nothing from elsewhere.
  await context.route('**/*', async (route) => {
    const target = route.request().url();
    requested.push(target);
    if (new URL(target).origin === new URL(dashboard).origin) await route.continue();
    else {
      foreign.push(target);
      await route.abort();
    }
  });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  const codes = await Promise.all(services.map((s) => s.stop()));
  expect(codes).toEqual(services.map(() => 0));
});

async function open(hash: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${dashboard}/${hash}`);
  return page;
}

/** axe-core on the page as it is: no serious or critical violation (the rest is recorded). */
async function expectAccessible(page: Page, view: string): Promise<void> {
  await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(async () => {
    const axe = window.axe as { run: (context: unknown) => Promise<any> };
    const { violations } = await axe.run(document);
    return (violations as Array<{ id: string; impact: string; nodes: unknown[] }>).map((v) => ({
      id: v.id,
      impact: v.impact,
      nodes: v.nodes.length,
    }));
  });
  axeFindings[view] = {};
  for (const v of result) (axeFindings[view][v.impact] ??= []).push(`${v.id} (${v.nodes})`);
  expect(result.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
}

const screenshot = (page: Page, name: string) =>
  page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

async function untilCalculated(page: Page): Promise<string> {
  await page.waitForURL(/#\/portfolios\/[0-9a-f-]{36}$/, { timeout: 15_000 });
  const uuid = /#\/portfolios\/([0-9a-f-]{36})$/.exec(page.url())![1]!;
  await page.waitForSelector('#portfolio-status[data-status="calculated"]', { timeout: 60_000 });
  // The rankings below the totals load after the status.
  await page.waitForSelector('#maturity-chart svg', { timeout: 15_000 });
  return uuid;
}

async function queryApi(path: string): Promise<any> {
  const res = await fetch(`${url('query-api')}${path}`, { headers: testAuthorization() });
  expect(res.status).toBe(200);
  return res.json();
}

const submitted: string[] = [];

describe('submit through the form', () => {
  it('follows the portfolio to calculated and finds it in the rankings table and chart', async () => {
    const page = await open('#/submit');
    await page.fill('#delta-period', '2');
    await page.selectOption('#delta-period-unit', 'Week');
    await page.fill('#bank-0-name', 'E2E BANK');
    await page.fill('#bank-0-tz', 'Europe/Berlin');
    await page.fill('#bank-0-deposit-0-account', 'E2E-0001');
    await page.selectOption('#bank-0-deposit-0-type', 'Savings');
    await page.fill('#bank-0-deposit-0-apy', '4.5');
    await page.fill('#bank-0-deposit-0-years', '2');
    await page.fill('#bank-0-deposit-0-amount', '25000');
    await page.fill('#bank-0-deposit-0-start', '2024-01-15');
    // A second deposit, added with the form's own button.
    await page.click('#bank-0-add-deposit');
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('bank-0-deposit-1-account');
    await page.fill('#bank-0-deposit-1-account', 'E2E-0002');
    await page.selectOption('#bank-0-deposit-1-type', 'BrokerageCertificateOfDeposit');
    await page.fill('#bank-0-deposit-1-apy', '3');
    await page.fill('#bank-0-deposit-1-years', '1.5');
    await page.fill('#bank-0-deposit-1-amount', '10000.50');
    await page.fill('#bank-0-deposit-1-start', '2023-11-23');
    await expectAccessible(page, 'submit');
    await screenshot(page, 'submit');
    await page.click('#submit-portfolio');
    const uuid = await untilCalculated(page);
    submitted.push(uuid);

    // The totals are the API's, exactly.
    const status = await queryApi(`/portfolios/${uuid}`);
    expect(status.status).toBe('calculated');
    const outcome = status.portfolio.outcome;
    await expect(page.textContent('#total-growth')).resolves.toBe(outcome.delta.growth);
    await expect(page.textContent('#total-maturity')).resolves.toBe(outcome.maturity.total);
    expect(outcome.delta.period_unit).toBe('Week');

    await page.click('nav a[data-view="rankings"]');
    const row = page.locator('.ranking table tbody tr', {
      has: page.locator(`a[href="#/portfolios/${uuid}"]`),
    });
    await row.waitFor({ timeout: 15_000 });
    // Rank (th), portfolio, delta growth, …
    await expect(row.locator('td').nth(1).textContent()).resolves.toBe(outcome.delta.growth);
    // The chart beside the table draws it: its label on the axis and in the chart's text alternative.
    const chart = page.locator('#rankings-chart');
    await expect(chart.getAttribute('aria-label')).resolves.toContain(
      `${uuid.slice(0, 8)} ${outcome.delta.growth}`,
    );
    await expect(chart.locator('svg text', { hasText: uuid.slice(0, 8) }).count()).resolves.toBeGreaterThan(
      0,
    );
    await page.close();
  }, 120_000);
});

describe('an invalid form', () => {
  it("shows each of the API's problems next to its field", async () => {
    const page = await open('#/submit');
    await page.fill('#delta-period', 'x');
    await page.fill('#bank-0-name', '');
    await page.fill('#bank-0-tz', 'America/Chicag');
    await page.fill('#bank-0-deposit-0-account', 'ab');
    await page.fill('#bank-0-deposit-0-apy', 'Hello');
    await page.fill('#bank-0-deposit-0-years', '0');
    await page.fill('#bank-0-deposit-0-amount', '-5');
    await page.fill('#bank-0-deposit-0-start', '2023-02-30');
    const sent = page.waitForRequest((r) => r.url().endsWith('/api/portfolios') && r.method() === 'POST');
    await page.click('#submit-portfolio');
    const body = (await sent).postData()!;
    await page.waitForSelector('#submit-form .field-error', { timeout: 15_000 });

    // What the command API itself answers for the very body the page sent.
    const res = await fetch(`${url('command-api')}/portfolios`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...testAuthorization() },
      body,
    });
    expect(res.status).toBe(400);
    const problem = (await res.json()) as { errors: Array<{ path: string; message: string }> };
    const paths = problem.errors.map((e) => e.path);
    expect(paths).toEqual([
      'new_delta.period',
      'new_banks[0].name',
      'new_banks[0].bank_tz',
      'new_banks[0].new_deposits[0].account',
      'new_banks[0].new_deposits[0].apy',
      'new_banks[0].new_deposits[0].years',
      'new_banks[0].new_deposits[0].amount',
      'new_banks[0].new_deposits[0].start_date_in_bank_tz',
    ]);
    for (const { path, message } of problem.errors) {
      const id = fieldIdOf(path)!;
      const field = page.locator(`#${id}`);
      // The message sits right after its field, and the field points at it.
      const next = field.locator('xpath=following-sibling::*[1]');
      await expect(next.textContent()).resolves.toBe(message);
      await expect(field.getAttribute('aria-invalid')).resolves.toBe('true');
      const describedBy = (await field.getAttribute('aria-describedby'))!.split(' ');
      await expect(next.getAttribute('id')).resolves.toBe(describedBy.at(-1));
    }
    await expect(page.locator('#problem-summary li').count()).resolves.toBe(problem.errors.length);
    await expect(page.textContent('#bank-0-tz + .field-error')).resolves.toBe(
      'Incorrect timezone: America/Chicag. Must be a valid timezone.',
    );
    await expectAccessible(page, 'submit with problems');
    await screenshot(page, 'submit-problems');

    // Fixing a field and submitting again clears the old messages.
    await page.fill('#delta-period', '1');
    await page.click('#submit-portfolio');
    await page.waitForFunction(() => document.querySelector('#delta-period + .field-error') === null);
    await expect(page.locator('#submit-form .field-error').count()).resolves.toBe(problem.errors.length - 1);
    await page.close();
  }, 60_000);
});

describe('the spec example pasted as JSON', () => {
  it('shows its totals 367.76 and 133043.42, its banks and deposits ranked and their maturity timeline', async () => {
    const page = await open('#/submit');
    await page.check('#mode-json');
    await page.fill('#request-json', readFileSync(SPEC_REQUEST, 'utf8'));
    await page.click('#submit-portfolio');
    const uuid = await untilCalculated(page);
    submitted.push(uuid);
    await expect(page.textContent('#total-growth')).resolves.toBe('367.76');
    await expect(page.textContent('#total-maturity')).resolves.toBe('133043.42');
    await expect(page.textContent('#total-amount')).resolves.toBe('108580.50');
    await expect(page.textContent('#total-interest')).resolves.toBe('24462.92');
    // Banks by growth: MOUNTAIN 246.16 first (spec example's expected values).
    const banks = await page.locator('#banks-heading ~ .table-box tbody tr th').allTextContents();
    expect(banks).toEqual(['MOUNTAIN', 'VISION-BANK', 'PEACEMAKER']);
    await expect(page.locator('#deposits-heading ~ .table-box tbody tr').count()).resolves.toBe(7);
    // The timeline: earliest maturity first, each in its bank's zone.
    const first = await page
      .locator('#maturity-heading ~ .table-box tbody tr')
      .first()
      .locator('th, td')
      .allTextContents();
    expect(first).toEqual(['1256N', 'MOUNTAIN', 'America/Chicago', '2018-04-07', '2020-04-06']);
    const timeline = await page.getAttribute('#maturity-chart', 'aria-label');
    expect(timeline).toContain('1235N (PEACEMAKER) from 2024-02-16 to 2031-02-14 (America/New_York)');
    await expect(
      page.locator('#banks-chart svg text', { hasText: 'MOUNTAIN' }).count(),
    ).resolves.toBeGreaterThan(0);
    await expectAccessible(page, 'portfolio');
    await screenshot(page, 'portfolio');
    await page.close();
  }, 120_000);

  it('shows a malformed paste as the problem the API answers', async () => {
    const page = await open('#/submit');
    await page.check('#mode-json');
    await page.fill('#request-json', '{"new_delta": ');
    await page.click('#submit-portfolio');
    await page.waitForSelector('#problem-summary .problem');
    await expect(page.locator('#problem-summary').textContent()).resolves.toMatch(/DD_MALFORMED_JSON/);
    await page.close();
  }, 30_000);
});

describe('the rankings', () => {
  it('pages on with the cursor and updates by itself as portfolios are calculated', async () => {
    const page = await open('#/rankings?order=desc&top_k=1');
    await page.waitForSelector('.ranking tbody tr');
    const firstPage = await page.locator('.ranking tbody tr th').allTextContents();
    expect(firstPage).toEqual(['1']);
    await page.click('#next-page');
    await page.waitForFunction(() => document.querySelector('.ranking tbody tr th')?.textContent === '2');
    await page.click('#first-page');
    await page.waitForFunction(() => document.querySelector('.ranking tbody tr th')?.textContent === '1');

    // A bigger portfolio, submitted elsewhere, tops the list without a reload.
    await page.goto(`${dashboard}/#/rankings?order=desc&top_k=10`);
    await page.waitForSelector('.ranking tbody tr');
    const big = JSON.parse(readFileSync(SPEC_REQUEST, 'utf8'));
    big.new_banks[0].new_deposits[0].amount = '100000000';
    big.new_banks[0].new_deposits[0].apy = '9';
    const res = await fetch(`${url('command-api')}/portfolios`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...testAuthorization() },
      body: JSON.stringify(big),
    });
    expect(res.status).toBe(202);
    const { portfolio_uuid: uuid } = (await res.json()) as { portfolio_uuid: string };
    submitted.push(uuid);
    await page
      .locator('.ranking tbody tr')
      .first()
      .locator(`a[href="#/portfolios/${uuid}"]`)
      .waitFor({ timeout: 30_000 });
    await expect(page.locator('.ranking tbody tr').count()).resolves.toBe(submitted.length);
    await expectAccessible(page, 'rankings');
    await screenshot(page, 'rankings');
    await page.close();
  }, 60_000);
});

describe('keyboard, token and origin', () => {
  it('is usable with the keyboard alone: reach the submit view and send the form', async () => {
    const page = await open('#/rankings');
    await page.waitForSelector('.ranking tbody tr');
    // Focus starts at the view's heading; Shift+Tab back into the header to the "Submit" link.
    await expect(page.evaluate(() => document.activeElement?.tagName)).resolves.toBe('H1');
    for (let i = 0; i < 10; i++) {
      if ((await page.evaluate(() => document.activeElement?.textContent)) === 'Submit') break;
      await page.keyboard.press('Shift+Tab');
    }
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Submit');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#submit-form');
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('submit-heading');
    await page.keyboard.press('Tab'); // the "with the form" choice
    await page.keyboard.press('Tab'); // the period
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('delta-period');
    await page.keyboard.press('Enter'); // submits the (empty) form
    await page.waitForSelector('#bank-0-name + .field-error');
    const focusVisible = await page.evaluate(() => {
      const link = document.querySelector('#problem-summary button.link');
      link.focus();
      return getComputedStyle(link).outlineStyle;
    });
    expect(focusVisible).toBe('solid');
    await page.keyboard.press('Enter'); // "go to field"
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toMatch(/^bank-0-|^delta-/);
    await page.close();
  }, 30_000);

  it('sends the bearer token when one is given, and keeps it for the session only', async () => {
    const page = await open('#/rankings');
    await page.fill('#token', 'local-token-123');
    await page.press('#token', 'Tab');
    // The next refresh of the ranking (every 5 s) carries it.
    const sent = await page.waitForRequest((r) => r.url().includes('/api/by-level-for-portfolios/'), {
      timeout: 10_000,
    });
    expect(sent.headers().authorization).toBe('Bearer local-token-123');
    const stored = await page.evaluate(() => ({
      session: sessionStorage.getItem('drive-deposits.bearer-token'),
      local: localStorage.length,
      cookies: document.cookie,
    }));
    expect(stored).toEqual({ session: 'local-token-123', local: 0, cookies: '' });
    await page.close();
  }, 30_000);

  it('makes no request to any host other than its own origin', async () => {
    const views: Array<[string, string]> = [
      ['#/rankings', '.ranking tbody tr'],
      ['#/submit', '#submit-form'],
      [`#/portfolios/${submitted[0]}`, '#maturity-chart svg'],
    ];
    for (const [hash, shown] of views) {
      const started = Date.now();
      const page = await open(hash);
      await page.waitForSelector(shown);
      const shownMs = Date.now() - started;
      await page.waitForLoadState('networkidle');
      // For the record: how fast each view is usable (a fresh tab, nothing cached).
      const nav = await page.evaluate(() => {
        const entry = (globalThis as any).performance.getEntriesByType('navigation')[0];
        const script = (globalThis as any).performance
          .getEntriesByType('resource')
          .find((r: any) => r.name.endsWith('/app.js'));
        return {
          domContentLoadedMs: Math.round(entry.domContentLoadedEventEnd),
          loadMs: Math.round(entry.loadEventEnd),
          appJsBytes: script?.encodedBodySize,
        };
      });
      timings[hash.split('/')[1]!] = { ...nav, contentShownMs: shownMs };
      await page.close();
    }
    expect(requested.length).toBeGreaterThan(20);
    expect(foreign).toEqual([]);
  }, 60_000);

  afterAll(() => {
    // For the record (the report in the README quotes it): moderate and minor findings, if any.
    console.log(`axe findings by view: ${JSON.stringify(axeFindings)}`);
    console.log(`page load by view: ${JSON.stringify(timings)}`);
  });
});
