// What a find's explain() says about its sort, for MongoDB and for FerretDB v1, whose explain has
// another shape: MongoDB describes plan stages (IXSCAN, SORT, …); FerretDB reports whether it
// pushed the filter / sort / limit down to its backend, and the backend's (SQLite) query plan.
import type { Document } from 'mongodb';

export interface SortPlan {
  engine: 'mongodb' | 'ferretdb';
  /** the sort was served in index order (MongoDB: IXSCAN, no SORT stage; FerretDB: sortPushdown, an index, no TEMP B-TREE) */
  sortFromIndex: boolean;
  /** names of the indexes the winning plan scans */
  indexesUsed: string[];
  /** MongoDB: the winning plan's stage names; FerretDB: the backend query plan lines */
  stages: string[];
}

function collect(plan: unknown, field: string): string[] {
  if (Array.isArray(plan)) return plan.flatMap((item) => collect(item, field));
  if (plan === null || typeof plan !== 'object') return [];
  return Object.entries(plan).flatMap(([key, value]) =>
    key === field && typeof value === 'string' ? [value] : collect(value, field),
  );
}

export function sortPlanOf(explain: Document): SortPlan {
  const serverInfo = (explain.serverInfo ?? {}) as Document;
  if ('ferretdbVersion' in serverInfo || 'sortPushdown' in explain) {
    const plan = (explain.queryPlanner as Document | undefined)?.Plan;
    const stages = Array.isArray(plan) ? plan.map(String) : [];
    // SQLite names an index as <table>_<index name>; a TEMP B-TREE is a sort in memory.
    const indexesUsed = stages.flatMap((line) => {
      const m = /SEARCH (\S+) USING (?:COVERING )?INDEX (\S+)/.exec(line);
      return m ? [m[2]!.startsWith(`${m[1]}_`) ? m[2]!.slice(m[1]!.length + 1) : m[2]!] : [];
    });
    return {
      engine: 'ferretdb',
      sortFromIndex:
        explain.sortPushdown === true &&
        indexesUsed.length > 0 &&
        !stages.some((l) => l.includes('TEMP B-TREE')),
      indexesUsed,
      stages,
    };
  }
  const winning = (explain.queryPlanner as Document | undefined)?.winningPlan;
  const stages = collect(winning, 'stage');
  return {
    engine: 'mongodb',
    // SORT (blocking, in memory) is the one stage that sorts; SORT_MERGE merges index-ordered inputs.
    sortFromIndex: stages.length > 0 && !stages.includes('SORT') && stages.includes('IXSCAN'),
    indexesUsed: [...new Set(collect(winning, 'indexName'))],
    stages,
  };
}
