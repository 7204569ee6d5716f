// The optional bearer token: kept for this browser tab's session only (sessionStorage), never longer.
const KEY = 'drive-deposits.bearer-token';

export const getToken = (): string => sessionStorage.getItem(KEY) ?? '';

export function setToken(token: string): void {
  const value = token.trim();
  if (value === '') sessionStorage.removeItem(KEY);
  else sessionStorage.setItem(KEY, value);
}
