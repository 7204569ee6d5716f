// Money strings as the response writes them ("246.16"), converted to integer cents for exact
// numeric sort keys. bigint because values can exceed 2^53 at the allowed bounds
// (1e12 × 11^100 is about 1.4e116).

const MONEY = /^(-?)([0-9]+)\.([0-9]{2})$/;

/** `"246.16"` → `24616n`. Throws a RangeError unless the string has exactly 2 decimals. */
export function moneyToCents(money: string): bigint {
  const match = MONEY.exec(money);
  if (match === null) throw new RangeError(`expected an amount with exactly 2 decimals, got "${money}"`);
  const cents = BigInt(match[2]! + match[3]!);
  return match[1] === '-' ? -cents : cents;
}

/** `24616n` → `"246.16"`; the inverse of moneyToCents. */
export function centsToMoney(cents: bigint): string {
  const sign = cents < 0n ? '-' : '';
  const digits = (cents < 0n ? -cents : cents).toString().padStart(3, '0');
  return `${sign}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}
