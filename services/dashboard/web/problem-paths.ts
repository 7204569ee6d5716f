// A problem's field path → the id of the form control it is about. The APIs write paths as
// `new_banks[0].new_deposits[1].amount` (spec §2); JSON pointers (`/new_banks/0/new_deposits/1/amount`)
// are read too. Ids are the form's own: `delta-period`, `bank-0-name`, `bank-0-deposit-1-amount`.

const PATH_STEP = /^(?:\.?([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\])/;

/** `new_banks[0].new_deposits[1].amount` → ['new_banks', 0, 'new_deposits', 1, 'amount'] */
export function pathSteps(path: string): Array<string | number> | undefined {
  if (path.startsWith('/')) {
    return path
      .slice(1)
      .split('/')
      .map((step) => step.replace(/~1/g, '/').replace(/~0/g, '~'))
      .map((step) => (/^\d+$/.test(step) ? Number(step) : step));
  }
  if (path === '$' || path === '') return [];
  const steps: Array<string | number> = [];
  let rest = path;
  while (rest.length > 0) {
    const match = PATH_STEP.exec(rest);
    if (match === null) return undefined;
    steps.push(match[1] ?? Number(match[2]));
    rest = rest.slice(match[0].length);
  }
  return steps;
}

const DELTA_FIELDS = new Set(['period', 'period_unit']);
const BANK_FIELDS = new Set(['name', 'bank_tz']);
const DEPOSIT_FIELDS = new Set([
  'account',
  'account_type',
  'apy',
  'years',
  'amount',
  'start_date_in_bank_tz',
]);

/** The control's id, or the id of the group it belongs to; undefined when the form has no place for it. */
export function fieldIdOf(path: string): string | undefined {
  const steps = pathSteps(path);
  if (steps === undefined) return undefined;
  const [a, b, c, d, e, ...more] = steps;
  if (more.length > 0) return undefined;
  if (a === 'new_delta') {
    if (b === undefined) return 'delta';
    return typeof b === 'string' && DELTA_FIELDS.has(b) && c === undefined
      ? `delta-${b.replace('_', '-')}`
      : undefined;
  }
  if (a !== 'new_banks') return undefined;
  if (b === undefined) return 'banks';
  if (typeof b !== 'number') return undefined;
  if (c === undefined) return `bank-${b}`;
  if (typeof c === 'string' && BANK_FIELDS.has(c) && d === undefined) return `bank-${b}-${controlName(c)}`;
  if (c !== 'new_deposits') return undefined;
  if (d === undefined) return `bank-${b}-deposits`;
  if (typeof d !== 'number') return undefined;
  if (e === undefined) return `bank-${b}-deposit-${d}`;
  return typeof e === 'string' && DEPOSIT_FIELDS.has(e)
    ? `bank-${b}-deposit-${d}-${controlName(e)}`
    : undefined;
}

/** request field → the suffix of its control's id */
export const controlName = (field: string): string =>
  ({ bank_tz: 'tz', account_type: 'type', start_date_in_bank_tz: 'start' })[field] ?? field;
