import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { PortfolioResponse } from '@drive-deposits/core';
import { EXIT_INVALID_REQUEST, EXIT_OK, EXIT_USAGE, runCli, USAGE, type CliEnvironment } from './cli';

const REPO_ROOT = path.resolve(__dirname, '../../..');
const SPEC_EXAMPLES = path.resolve(REPO_ROOT, '../shared/spec/examples');
const VALID_REQUEST = path.join(SPEC_EXAMPLES, 'portfolio-request-valid.json');

const validRequestText = JSON.stringify({
  new_delta: { period: '1', period_unit: 'Month' },
  new_banks: [
    {
      name: 'MOUNTAIN',
      bank_tz: 'America/Chicago',
      new_deposits: [
        {
          account: '1234N',
          account_type: 'Checking',
          apy: '0.01',
          years: '10',
          amount: '100',
          start_date_in_bank_tz: '2019-01-01',
        },
      ],
    },
  ],
});

/** Runs the CLI in-process; files are looked up in `files` (anything else cannot be read). */
function run(argv: string[], files: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  let ids = 0;
  const env: CliEnvironment = {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    readFile: (file) => {
      const text = files[file];
      if (text === undefined) throw new Error(`ENOENT: no such file or directory, open '${file}'`);
      return text;
    },
    now: () => '2024-09-05T15:48:34.811Z',
    randomId: () => `00000000-0000-4000-8000-${(++ids).toString(16).padStart(12, '0')}`,
  };
  const code = runCli(argv, env);
  return { code, stdout, stderr };
}

describe('drive-deposits calc', () => {
  test('prints the calculated response as 2-space JSON and exits 0', () => {
    const { code, stdout, stderr } = run(['calc', 'request.json'], { 'request.json': validRequestText });
    expect({ code, stderr }).toEqual({ code: EXIT_OK, stderr: '' });
    const response = JSON.parse(stdout) as PortfolioResponse;
    expect(stdout).toBe(`${JSON.stringify(response, null, 2)}\n`);
    expect(response.created_at).toBe('2024-09-05T15:48:34.811Z');
    expect(response.uuid).toMatch(/^00000000-0000-4000-8000-/); // from randomId: no --seed
    expect(response.outcome.maturity).toEqual({ amount: '100', interest: '0.10', total: '100.10' });
    expect(response.banks[0]!.deposits[0]!.outcome_with_dates.maturity_date_in_bank_tz).toBe('2028-12-29');
  });

  test('--seed and --now make the output repeatable; another seed gives other ids', () => {
    const files = { 'r.json': validRequestText };
    const first = run(['calc', 'r.json', '--seed', 'demo', '--now', '2024-01-02T03:04:05Z'], files);
    const again = run(['--now', '2024-01-02T03:04:05Z', 'calc', '--seed', 'demo', 'r.json'], files);
    const other = run(['calc', 'r.json', '--seed', 'other', '--now', '2024-01-02T03:04:05Z'], files);
    expect(first.code).toBe(EXIT_OK);
    expect(again.stdout).toBe(first.stdout);
    const response = JSON.parse(first.stdout) as PortfolioResponse;
    expect(response.created_at).toBe('2024-01-02T03:04:05.000Z');
    expect(response.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(JSON.parse(other.stdout).uuid).not.toBe(response.uuid);
  });

  test('an invalid request: every problem on stderr as "path: message", with the code; exit 1', () => {
    const invalid = JSON.parse(validRequestText);
    invalid.new_delta.period_unit = 'Century!';
    invalid.new_banks[0].bank_tz = 'America/Chicag';
    const { code, stdout, stderr } = run(['calc', 'bad.json'], { 'bad.json': JSON.stringify(invalid) });
    expect({ code, stdout }).toEqual({ code: EXIT_INVALID_REQUEST, stdout: '' });
    expect(stderr).toBe(
      'drive-deposits: DD_VALIDATION_FAILED: The request is invalid (bad.json, 2 problems)\n' +
        'new_delta.period_unit: Incorrect period_unit: Century!. Must be Day, Week, Month, or Year.\n' +
        'new_banks[0].bank_tz: Incorrect timezone: America/Chicag. Must be a valid timezone.\n',
    );
  });

  test('malformed JSON exits 2 with DD_MALFORMED_JSON', () => {
    const { code, stdout, stderr } = run(['calc', 'broken.json'], { 'broken.json': '{"new_delta": ' });
    expect({ code, stdout }).toEqual({ code: EXIT_USAGE, stdout: '' });
    expect(stderr).toMatch(
      /^drive-deposits: DD_MALFORMED_JSON: The body is not valid JSON: broken\.json: .+\n$/,
    );
  });

  test('a byte-order mark is not malformed JSON', () => {
    expect(run(['calc', 'bom.json'], { 'bom.json': `\uFEFF${validRequestText}` }).code).toBe(EXIT_OK);
  });

  test('a missing file exits 2 and says which', () => {
    const { code, stderr } = run(['calc', 'missing.json']);
    expect(code).toBe(EXIT_USAGE);
    expect(stderr).toBe(
      "drive-deposits: cannot read missing.json: ENOENT: no such file or directory, open 'missing.json'\n",
    );
  });

  test('--help prints the usage on stdout and exits 0', () => {
    for (const flag of ['--help', '-h']) {
      expect(run([flag])).toEqual({ code: EXIT_OK, stdout: USAGE, stderr: '' });
    }
    expect(USAGE).toMatch(/calc <request\.json>/);
  });

  test.each([
    [[], 'no command given'],
    [['bake', 'x.json'], 'unknown command: bake'],
    [['calc'], 'calc takes exactly one request file'],
    [['calc', 'a.json', 'b.json'], 'calc takes exactly one request file'],
    [['calc', 'a.json', '--fast'], "Unknown option '--fast'"],
    [['calc', 'a.json', '--now', 'yesterday'], '--now must be an RFC 3339 UTC time'],
    [['calc', 'a.json', '--now', '2024-02-30T00:00:00+01:00'], '--now must be an RFC 3339 UTC time'],
  ])('%j is a usage error: exit 2', (argv, problem) => {
    const { code, stdout, stderr } = run(argv, { 'a.json': validRequestText });
    expect({ code, stdout }).toEqual({ code: EXIT_USAGE, stdout: '' });
    expect(stderr).toContain(problem);
    expect(stderr).toContain(USAGE);
  });
});

describe('the executable (src/main.ts run by node)', () => {
  // tsx runs the TypeScript entry point; tsconfig.check.json maps @drive-deposits/* to sources,
  // so this needs no build.
  function spawnCli(args: string[], input?: string) {
    return spawnSync(process.execPath, ['--require', 'tsx/cjs', path.join(__dirname, 'main.ts'), ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, TSX_TSCONFIG_PATH: path.join(REPO_ROOT, 'tsconfig.check.json') },
      input,
      encoding: 'utf8',
      timeout: 60_000,
    });
  }

  test("calculates the spec's example file and exits 0", () => {
    const result = spawnCli(['calc', VALID_REQUEST, '--seed', 'spec', '--now', '2024-09-05T15:48:34.811Z']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(EXIT_OK);
    const response = JSON.parse(result.stdout) as PortfolioResponse;
    expect(response.outcome.maturity?.amount).toBe('108580.50');
    expect(response.banks.map((bank) => bank.name)).toEqual(['MOUNTAIN', 'PEACEMAKER', 'VISION-BANK']);
  }, 60_000);

  test('reads standard input for -, and sets the exit status for an invalid request', () => {
    const result = spawnCli(['calc', '-'], '{"new_delta":{"period":"1","period_unit":"Month"}}');
    expect(result.status).toBe(EXIT_INVALID_REQUEST);
    expect(result.stderr).toContain('new_banks: Missing new_banks. Must be an array of 1 to 500 banks.');
  }, 60_000);
});
