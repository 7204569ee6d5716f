// The result of an already-calculated portfolio, from the read model the projector writes (an
// idempotent replay answers from here instead of waiting for an event that passed long ago).
import type { PortfolioResponse } from '@drive-deposits/core';
import { readModelCollections, readVersions } from '@drive-deposits/read-model';
import type { Db } from 'mongodb';

export type CalculatedLookup = (portfolioUuid: string) => Promise<PortfolioResponse | undefined>;

export const calculatedFromReadModel =
  (db: Db): CalculatedLookup =>
  async (portfolioUuid) => {
    const { active } = await readVersions(db);
    // Only a calculated portfolio has a result document; looked up by _id alone (index-served
    // on every engine: FerretDB pushes down nothing else).
    const doc = await readModelCollections(db, active).results.findOne({ _id: portfolioUuid });
    return doc?.response ?? undefined;
  };
