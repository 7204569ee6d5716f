import { topicNames } from './topics';

describe('topicNames', () => {
  it('prefixes the three topics', () => {
    expect(topicNames('drive-deposits.')).toEqual({
      portfolioSubmitted: 'drive-deposits.portfolio-submitted',
      portfolioCalculated: 'drive-deposits.portfolio-calculated',
      deadLetter: 'drive-deposits.dead-letter',
    });
  });
});
