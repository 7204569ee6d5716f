import { decodeCursor, encodeCursor } from './cursor';

const position = {
  key: '0003246',
  created_at: '2024-09-05T15:48:34.811Z',
  _id: '0b9f4a52-1c1e-4d8e-9d7e-3f1a2b3c4d5e',
};

describe('pagination cursors', () => {
  it('round-trip for the same ranking and order', () => {
    const cursor = encodeCursor('banks_by_growth', 'desc', position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, 'banks_by_growth', 'desc')).toEqual(position);
    const maturity = { ...position, key: 21547 };
    expect(
      decodeCursor(encodeCursor('deposits_by_maturity', 'asc', maturity), 'deposits_by_maturity', 'asc'),
    ).toEqual(maturity);
  });

  it('reject another ranking or order, and anything that is not a cursor', () => {
    const cursor = encodeCursor('banks_by_growth', 'desc', position);
    expect(decodeCursor(cursor, 'banks_by_growth', 'asc')).toBeUndefined();
    expect(decodeCursor(cursor, 'deposits_by_growth', 'desc')).toBeUndefined();
    const forge = (payload: unknown) => Buffer.from(JSON.stringify(payload)).toString('base64url');
    for (const bad of [
      '',
      'not a cursor!',
      'x'.repeat(2000),
      forge({ $gt: '' }),
      forge(['banks_by_growth', 'desc', { $gt: '' }, position.created_at, position._id]),
      forge(['banks_by_growth', 'desc', position.key, 'yesterday', position._id]),
      forge(['banks_by_growth', 'desc', position.key, position.created_at, 'id']),
      forge(['deposits_by_maturity', 'desc', '21547', position.created_at, position._id]),
    ]) {
      expect(decodeCursor(bad, 'banks_by_growth', 'desc')).toBeUndefined();
    }
  });
});
