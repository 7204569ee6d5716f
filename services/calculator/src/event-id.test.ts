import { calculatedEventId, uuidV5 } from './event-id';

describe('uuidV5', () => {
  it('matches the RFC 9562 name-based example (DNS namespace, www.example.com)', () => {
    expect(uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'www.example.com')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
  });

  it('gives a calculated event the same id every time, and different sources different ids', () => {
    const source = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
    expect(calculatedEventId(source)).toBe(calculatedEventId(source));
    expect(calculatedEventId(source)).not.toBe(calculatedEventId('9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6e'));
    expect(calculatedEventId(source)).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });
});
