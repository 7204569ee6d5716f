// The offline command: `drive-deposits calc <request.json>` validates and calculates a request
// with the same core as the services and prints the PortfolioResponse. All I/O is passed in,
// so tests run it without a process.
import { parseArgs } from 'node:util';
import {
  calculatePortfolio,
  parseSubmittedPortfolio,
  ERRORS,
  submitPortfolio,
  validatePortfolioRequest,
  type FieldError,
} from '@drive-deposits/core';
import { seededIds } from './seeded-ids';

export interface CliEnvironment {
  stdout(text: string): void;
  stderr(text: string): void;
  /** the file's text; `-` is standard input. Throws when it cannot be read. */
  readFile(path: string): string;
  /** the current time, RFC 3339 UTC */
  now(): string;
  /** a random lower-case UUID v4 */
  randomId(): string;
}

export const EXIT_OK = 0;
export const EXIT_INVALID_REQUEST = 1;
export const EXIT_USAGE = 2;

const PROGRAM = 'drive-deposits';

export const USAGE = `Usage: ${PROGRAM} calc <request.json> [--now <time>] [--seed <text>]
       ${PROGRAM} --help

Validates a portfolio request and calculates it offline, with the same rules and
arithmetic as the services, and prints the PortfolioResponse as JSON on stdout.
<request.json> may be - to read standard input.

Options:
  --now <time>   created_at of the portfolio, RFC 3339 UTC, e.g. 2024-09-05T15:48:34.811Z
                 (default: the current time)
  --seed <text>  derive every uuid from <text> instead of choosing them at random, so the
                 same request, --now and --seed always print the same response
  -h, --help     show this help

Exit status: 0 calculated; 1 the request is invalid (each problem on stderr as
"path: message"); 2 wrong usage, an unreadable file or malformed JSON.
`;

const RFC3339_UTC = /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?Z$/;

function usageError(env: CliEnvironment, problem: string): number {
  env.stderr(`${PROGRAM}: ${problem}\n\n${USAGE}`);
  return EXIT_USAGE;
}

export function runCli(argv: readonly string[], env: CliEnvironment): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { help: { type: 'boolean', short: 'h' }, now: { type: 'string' }, seed: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    return usageError(env, error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help) {
    env.stdout(USAGE);
    return EXIT_OK;
  }
  const [command, ...operands] = positionals;
  if (command === undefined) return usageError(env, 'no command given');
  if (command !== 'calc') return usageError(env, `unknown command: ${command}`);
  if (operands.length !== 1) return usageError(env, 'calc takes exactly one request file');
  if (
    values.now !== undefined &&
    !(RFC3339_UTC.test(values.now) && Number.isFinite(Date.parse(values.now)))
  ) {
    return usageError(
      env,
      `--now must be an RFC 3339 UTC time such as 2024-09-05T15:48:34.811Z, not ${values.now}`,
    );
  }
  // Normalised to milliseconds, the form the services write (its string order is time order).
  const now = values.now === undefined ? env.now() : new Date(Date.parse(values.now)).toISOString();
  return calc(operands[0]!, { now, seed: values.seed }, env);
}

function calc(file: string, options: { now: string; seed: string | undefined }, env: CliEnvironment): number {
  let text: string;
  try {
    text = env.readFile(file);
  } catch (error) {
    env.stderr(
      `${PROGRAM}: cannot read ${file}: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return EXIT_USAGE;
  }
  let input: unknown;
  try {
    input = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    env.stderr(`${PROGRAM}: DD_MALFORMED_JSON: ${ERRORS.DD_MALFORMED_JSON.title}: ${file}: ${reason}\n`);
    return EXIT_USAGE;
  }
  const validated = validatePortfolioRequest(input);
  if (!validated.ok) {
    env.stderr(describeProblems(file, validated.errors));
    return EXIT_INVALID_REQUEST;
  }
  const newId = options.seed === undefined ? env.randomId : seededIds(options.seed);
  const submitted = submitPortfolio(validated.value, {
    newId,
    now: options.now,
    correlationId: newId(),
    eventId: newId(),
  });
  const response = calculatePortfolio(parseSubmittedPortfolio(submitted.portfolio));
  env.stdout(`${JSON.stringify(response, null, 2)}\n`);
  return EXIT_OK;
}

function describeProblems(file: string, errors: readonly FieldError[]): string {
  const count = errors.length === 1 ? '1 problem' : `${errors.length} problems`;
  const lines = errors.map((error) => `${error.path}: ${error.message}`);
  return `${PROGRAM}: DD_VALIDATION_FAILED: ${ERRORS.DD_VALIDATION_FAILED.title} (${file}, ${count})\n${lines.join('\n')}\n`;
}
