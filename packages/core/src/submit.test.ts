import { bank, deposit, request, sequentialIds } from './requests.fixture';
import { submitPortfolio } from './submit';

describe('submitPortfolio', () => {
  const portfolioRequest = request([
    bank([deposit(), deposit({ account: '2222N' })]),
    bank([deposit({ account: '3333N' })], { name: 'OTHER' }),
  ]);
  const context = {
    newId: sequentialIds(),
    now: '2024-09-05T15:48:34.811Z',
    correlationId: 'corr-1',
    eventId: 'evt-1',
  };
  const event = submitPortfolio(portfolioRequest, context);
  const id = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

  test('assigns ids in order: the portfolio, then each bank followed by its deposits', () => {
    expect(event.portfolio.uuid).toBe(id(1));
    expect(event.portfolio.new_banks.map((b) => [b.uuid, b.new_deposits.map((d) => d.uuid)])).toEqual([
      [id(2), [id(3), id(4)]],
      [id(5), [id(6)]],
    ]);
  });

  test('carries the request, created_at, the event id and the correlation id', () => {
    expect(event.event_id).toBe('evt-1');
    expect(event.correlation_id).toBe('corr-1');
    expect(event.portfolio.created_at).toBe('2024-09-05T15:48:34.811Z');
    expect(event.portfolio.new_delta).toEqual(portfolioRequest.new_delta);
    const withoutIds = event.portfolio.new_banks.map(({ uuid: _uuid, new_deposits, ...rest }) => ({
      ...rest,
      new_deposits: new_deposits.map(({ uuid: _depositUuid, ...d }) => d),
    }));
    expect(withoutIds).toEqual(portfolioRequest.new_banks);
  });

  test('shares no objects with the request', () => {
    expect(event.portfolio.new_delta).not.toBe(portfolioRequest.new_delta);
    expect(event.portfolio.new_banks[0]!.new_deposits[0]).not.toBe(
      portfolioRequest.new_banks[0]!.new_deposits[0],
    );
  });
});
