import { topicNames } from './topics';

describe('topicNames', () => {
  it('prefixes the four topics', () => {
    expect(topicNames('drive-deposits.')).toEqual({
      portfolioSubmitted: 'drive-deposits.portfolio-submitted',
      portfolioCalculated: 'drive-deposits.portfolio-calculated',
      portfolioDeleted: 'drive-deposits.portfolio-deleted',
      deadLetter: 'drive-deposits.dead-letter',
    });
  });
});
