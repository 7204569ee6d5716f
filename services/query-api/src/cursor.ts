// Opaque pagination cursors: base64url of the ranking, the order and the last item's position.
// A cursor only continues the ranking and order it came from; anything else is rejected.
import { isUuid } from '@drive-deposits/core';
import { RANKINGS, type Order, type RankingName, type RankingPosition } from './rankings';

const CREATED_AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;
const GROWTH_KEY = /^\d{4}\d+$/;
const MAX_CURSOR_LENGTH = 1000;

export function encodeCursor(name: RankingName, order: Order, position: RankingPosition): string {
  const payload = [name, order, position.key, position.created_at, position._id];
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

/** The position a cursor continues from, or undefined when it is not a cursor of this ranking and order. */
export function decodeCursor(cursor: string, name: RankingName, order: Order): RankingPosition | undefined {
  if (cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) return undefined;
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(payload) || payload.length !== 5) return undefined;
  const [cursorName, cursorOrder, key, createdAt, id] = payload as unknown[];
  if (cursorName !== name || cursorOrder !== order) return undefined;
  if (typeof createdAt !== 'string' || !CREATED_AT.test(createdAt)) return undefined;
  if (!isUuid(id)) return undefined;
  const validKey =
    RANKINGS[name].sortKey === 'growth_key'
      ? typeof key === 'string' && GROWTH_KEY.test(key)
      : Number.isSafeInteger(key);
  if (!validKey) return undefined;
  return { key: key as string | number, created_at: createdAt, _id: id };
}
