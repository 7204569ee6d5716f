// Spec §6: the four rankings and the status lookup. Parameters are validated before anything
// reaches MongoDB (a parameter is one string, never an object); pages continue by keyset cursor.
import { DriveDepositsError, PERIOD_UNITS, type PeriodUnit } from '@drive-deposits/core';
import {
  hasScope,
  methodNotAllowed,
  parseQuery,
  pathUuid,
  queryParam,
  requireScope,
  SCOPES,
  visiblePortfolio,
} from '@drive-deposits/http';
import { periodKey, readModelCollections } from '@drive-deposits/read-model';
import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { Db, Document } from 'mongodb';
import { decodeCursor, encodeCursor } from './cursor';
import { bankItem, depositItem, portfolioItem } from './items';
import { findRanked, positionOf, rankingQuery, RANKINGS, type Order, type RankingName } from './rankings';

// Each rule once: the handlers apply them and the OpenAPI document (openapi.ts) is derived from them.
// Digits are [0-9], not \d, so the patterns mean the same in every regex dialect that reads them.
/** a decimal greater than 0: digits, an optional fraction of at most 10 digits, an optional '+' */
const POSITIVE_DECIMAL = /^\+?(?=[0-9.]*[1-9])[0-9]+(\.[0-9]{1,10})?$/;
const CURSOR = /^[A-Za-z0-9_-]{1,1000}$/;

const RANKING_PARAMS = {
  order: queryParam.oneOf(['asc', 'desc'], { default: 'desc' }),
  top_k: queryParam.int({ min: 0, max: 1000, default: 10 }),
  cursor: queryParam.string({ pattern: CURSOR, allowed: 'a next_cursor from a previous page' }),
};
export const PORTFOLIO_RANKING_PARAMS = {
  ...RANKING_PARAMS,
  period: queryParam.string({
    pattern: POSITIVE_DECIMAL,
    allowed: 'a decimal number greater than 0 (at most 10 decimals)',
  }),
  period_unit: queryParam.oneOf(PERIOD_UNITS),
};

// A ranking query answers within this or fails as a 503 (MaxTimeMSExpired), instead of holding the
// request until the client gives up.
export const QUERY_TIME_LIMIT_MS = 10_000;

const invalid = (path: string, message: string) =>
  new DriveDepositsError('DD_INVALID_PARAMETER', `Invalid query parameters: ${path}`, {
    errors: [{ path, message }],
  });

/** `period` + `period_unit` (both or neither) → the period_key filter; a period must be > 0. */
function periodFilter(period: string | undefined, unit: PeriodUnit | undefined): string | undefined {
  if (period === undefined && unit === undefined) return undefined;
  if (period === undefined || unit === undefined) {
    const missing = period === undefined ? 'period' : 'period_unit';
    throw invalid(missing, 'Missing. period and period_unit filter together: give both or neither.');
  }
  return periodKey(period, unit);
}

/** The portfolio ranking's index by whose portfolios it ranks and whether a period filters it. */
const PORTFOLIO_RANKINGS = {
  all: { growth: 'portfolios_by_growth', periodGrowth: 'portfolios_by_period_growth' },
  own: { growth: 'portfolios_by_owner_growth', periodGrowth: 'portfolios_by_owner_period_growth' },
} as const satisfies Record<string, Record<string, RankingName>>;

const notFound = (uuid: string) => new DriveDepositsError('DD_NOT_FOUND', `No portfolio ${uuid}.`);

const DESCRIPTIONS = {
  portfolios: () =>
    'Calculation results sorted by delta period growth for the overall calculation at the portfolios level',
  banks: (uuid: string) =>
    `Calculation results sorted by delta period growth at the banks level for portfolio ${uuid}`,
  depositsByGrowth: (uuid: string) =>
    `Calculation results sorted by delta period growth at the deposits level for portfolio ${uuid}`,
  depositsByMaturity: (uuid: string) =>
    `Calculation results sorted by maturity date at the deposits level for portfolio ${uuid}`,
};

/** the routes above, in express syntax */
const QUERY_ROUTE_PATHS = [
  '/by-level-for-portfolios/delta-growth',
  '/portfolios/:uuid/by-level-for-banks/delta-growth',
  '/portfolios/:uuid/by-level-for-deposits/delta-growth',
  '/portfolios/:uuid/by-level-for-deposits/maturity-date',
  '/portfolios/:uuid',
] as const;

export interface RouteDeps {
  db: Db;
  /** the active read-model version (cached) */
  version: () => Promise<number>;
}

export function queryRoutes({ db, version }: RouteDeps): Router {
  const router = Router();

  async function ranked<T>(
    name: RankingName,
    scope: Record<string, string>,
    params: { order: Order; top_k: number; cursor: string | undefined },
    toItem: (doc: never) => T,
    description: string,
  ) {
    const after = params.cursor === undefined ? undefined : decodeCursor(params.cursor, name, params.order);
    if (params.cursor !== undefined && after === undefined)
      throw invalid('cursor', 'Incorrect value. Must be a next_cursor of this route with the same order.');
    const collection = readModelCollections(db, await version())[RANKINGS[name].collection];
    const query = rankingQuery(name, scope, params.order, after);
    // One more than asked says whether a next page exists.
    const docs: Document[] =
      params.top_k === 0
        ? []
        : await findRanked(collection as never, query, params.top_k + 1, { maxTimeMS: QUERY_TIME_LIMIT_MS });
    const page = docs.slice(0, params.top_k);
    const last = page.at(-1);
    const next =
      docs.length > params.top_k && last !== undefined
        ? encodeCursor(name, params.order, positionOf(name, last))
        : undefined;
    return {
      data: {
        responses: page.map((doc) => toItem(doc as never)),
        count_responses: page.length,
        ...(next === undefined ? {} : { next_cursor: next }),
      },
      metadata: { order: params.order, top_k: params.top_k, sort_criteria_description: description },
    };
  }

  /** 404 unless the portfolio exists, is not deleted, and is the caller's (never another owner's data). */
  const requirePortfolio = async (req: Request, uuid: string): Promise<void> => {
    const doc = await readModelCollections(db, await version()).portfolios.findOne(
      { _id: uuid },
      { projection: { _id: 1, owner: 1, status: 1 } },
    );
    if (!visiblePortfolio(req.principal, doc)) {
      throw notFound(uuid);
    }
  };

  // Every route reads: portfolios:read, or rankings:read:all for the global ranking. Checked
  // before the parameters, so a caller without the scope learns nothing else.
  const read = requireScope(SCOPES.read);
  const readRanking: RequestHandler = (req, res, next) =>
    hasScope(req, SCOPES.rankingsAll) ? next() : read(req, res, next);

  router.get('/by-level-for-portfolios/delta-growth', readRanking, async (req, res) => {
    const params = parseQuery(req.query, PORTFOLIO_RANKING_PARAMS);
    const key = periodFilter(params.period, params.period_unit);
    // rankings:read:all: the original's ranking of every owner; otherwise the caller's own.
    const all = hasScope(req, SCOPES.rankingsAll);
    const owned: Record<string, string> = all ? {} : { owner: req.principal.owner };
    const name = PORTFOLIO_RANKINGS[all ? 'all' : 'own'][key === undefined ? 'growth' : 'periodGrowth'];
    const scope: Record<string, string> = {
      ...owned,
      status: 'calculated',
      ...(key === undefined ? {} : { period_key: key }),
    };
    res.json(await ranked(name, scope, params, portfolioItem, DESCRIPTIONS.portfolios()));
  });

  /**
   * A ranking inside one portfolio: 404 when the portfolio is unknown. The existence check and the
   * ranking are independent index lookups, so they run at once (one round trip, not two).
   */
  const portfolioRanking =
    <T>(name: RankingName, toItem: (doc: never) => T, describe: (uuid: string) => string) =>
    async (req: Request, res: Response) => {
      const uuid = pathUuid(req.params);
      const params = parseQuery(req.query, RANKING_PARAMS);
      const [, ranking] = await Promise.all([
        requirePortfolio(req, uuid),
        ranked(name, { portfolio_uuid: uuid }, params, toItem, describe(uuid)),
      ]);
      res.json(ranking);
    };

  router.get(
    '/portfolios/:uuid/by-level-for-banks/delta-growth',
    read,
    portfolioRanking('banks_by_growth', bankItem, DESCRIPTIONS.banks),
  );
  router.get(
    '/portfolios/:uuid/by-level-for-deposits/delta-growth',
    read,
    portfolioRanking('deposits_by_growth', depositItem, DESCRIPTIONS.depositsByGrowth),
  );
  router.get(
    '/portfolios/:uuid/by-level-for-deposits/maturity-date',
    read,
    portfolioRanking('deposits_by_maturity', depositItem, DESCRIPTIONS.depositsByMaturity),
  );

  router.get('/portfolios/:uuid', read, async (req, res) => {
    const uuid = pathUuid(req.params);
    parseQuery(req.query, {});
    const collections = readModelCollections(db, await version());
    // Both by _id, in parallel: the projector writes the result before the `calculated` status.
    const [doc, result] = await Promise.all([
      collections.portfolios.findOne({ _id: uuid }),
      collections.results.findOne({ _id: uuid }),
    ]);
    if (!visiblePortfolio(req.principal, doc)) {
      throw notFound(uuid);
    }
    // A field absent from the document (a server may drop nulls) reads as null.
    res.json({
      portfolio_uuid: doc._id,
      status: doc.status,
      created_at: doc.created_at ?? null,
      ...(doc.status === 'calculated' && result ? { portfolio: result.response } : {}),
      ...(doc.status === 'failed' && doc.error ? { error: doc.error } : {}),
    });
  });

  // Every other method of these routes: 405 with Allow, as the command API answers.
  for (const path of QUERY_ROUTE_PATHS) router.all(path, methodNotAllowed('GET'));

  return router;
}
