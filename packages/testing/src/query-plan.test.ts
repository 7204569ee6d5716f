import { sortPlanOf } from './query-plan';

describe('sortPlanOf', () => {
  it('reads a MongoDB plan: index walk without SORT is served from the index', () => {
    const served = sortPlanOf({
      queryPlanner: {
        winningPlan: {
          stage: 'LIMIT',
          inputStage: { stage: 'FETCH', inputStage: { stage: 'IXSCAN', indexName: 'by_growth' } },
        },
      },
      serverInfo: { version: '7.0.0' },
    });
    expect(served).toEqual({
      engine: 'mongodb',
      sortFromIndex: true,
      indexesUsed: ['by_growth'],
      stages: ['LIMIT', 'FETCH', 'IXSCAN'],
    });
    const sorted = sortPlanOf({
      queryPlanner: { winningPlan: { stage: 'SORT', inputStage: { stage: 'COLLSCAN' } } },
    });
    expect(sorted.sortFromIndex).toBe(false);
  });

  it('reads a FerretDB plan: sortPushdown and the backend plan', () => {
    const scan = sortPlanOf({
      queryPlanner: { Plan: ['id=2 parent=0 notused=0 detail=SCAN p_f50c43ef'] },
      serverInfo: { version: '7.0.42', ferretdbVersion: 'v1.24.2' },
      sortPushdown: false,
    });
    expect(scan).toEqual({
      engine: 'ferretdb',
      sortFromIndex: false,
      indexesUsed: [],
      stages: ['id=2 parent=0 notused=0 detail=SCAN p_f50c43ef'],
    });
    const walk =
      'id=7 parent=0 notused=0 detail=SEARCH p_f50c43ef USING INDEX p_f50c43ef_by_growth (<expr>=?)';
    const served = sortPlanOf({ queryPlanner: { Plan: [walk] }, sortPushdown: true });
    expect(served).toMatchObject({ sortFromIndex: true, indexesUsed: ['by_growth'] });
    const sorted = sortPlanOf({
      queryPlanner: { Plan: [walk, 'id=26 parent=0 notused=0 detail=USE TEMP B-TREE FOR ORDER BY'] },
      sortPushdown: true,
    });
    expect(sorted).toMatchObject({ sortFromIndex: false, indexesUsed: ['by_growth'] });
  });
});
