// The command API's two touches of the read model the projector writes: the result of an
// already-calculated portfolio (an idempotent replay answers from here instead of waiting for an
// event that passed long ago), and the `accepted` status written before a 202 (so its Location
// never answers 404). Both go through @drive-deposits/read-model's documents and collections; the
// projection and the queries are none of the command side's business.
import type { PortfolioDeleted, PortfolioResponse, PortfolioSubmitted } from '@drive-deposits/core';
import { bulkWriteUnordered, DUPLICATE_KEY_CODE, toDependencyError } from '@drive-deposits/mongo';
import { createGroupCommit } from '@drive-deposits/runtime';
import {
  acceptedPortfolio,
  deletedPortfolio,
  readModelCollections,
  cachedActiveVersion,
  readVersions,
} from '@drive-deposits/read-model';
import type { Db } from 'mongodb';

export type CalculatedLookup = (portfolioUuid: string) => Promise<PortfolioResponse | undefined>;

export const calculatedFromReadModel = (db: Db): CalculatedLookup => {
  const activeVersion = cachedActiveVersion(db);
  return async (portfolioUuid) => {
    const active = await activeVersion();
    // Only a calculated portfolio has a result document.
    const doc = await readModelCollections(db, active).results.findOne({ _id: portfolioUuid });
    return doc?.response ?? undefined;
  };
};

export type AcceptedRecorder = (event: PortfolioSubmitted) => Promise<void>;

/** at most this many accepted statuses in one bulk */
const ACCEPTED_PER_BULK = 100;

/**
 * Makes sure the portfolio's status document exists in every read-model version the projector
 * writes: it inserts the `accepted` document the projector's PortfolioSubmitted upsert would create
 * (`acceptedPortfolio`), and a duplicate key means it is there already (the projector's, whatever
 * its status, or a deleted portfolio's tombstone), which is kept. An insert, not that upsert: the
 * command API has nothing to change in an existing document, and on the local MongoDB-wire server
 * an insert costs a third of an upsert (0.23 against 0.72 ms a document), on the path of every 202. A MongoDB outage is a 503 (the
 * event is durable: a keyed retry answers the same uuid). Concurrent submissions share one bulk
 * (group commit, as their events share a produce request).
 */
export const acceptedInReadModel = (db: Db): AcceptedRecorder => {
  const bulks = createGroupCommit<PortfolioSubmitted>({
    lingerMs: 0,
    maxCount: ACCEPTED_PER_BULK,
    maxBytes: ACCEPTED_PER_BULK,
    sizeOf: () => 1,
    write: async (events) => {
      // Inserted only where absent: an existing document (the projector's, a tombstone) is kept.
      const inserts = events.map((event) => ({ insertOne: { document: acceptedPortfolio(event).document } }));
      const { writing } = await readVersions(db);
      await Promise.all(
        writing.map((version) =>
          bulkWriteUnordered(readModelCollections(db, version).portfolios, inserts, {
            expected: (_operation, code) => code === DUPLICATE_KEY_CODE,
          }),
        ),
      );
    },
  });
  return async (event) => {
    try {
      await bulks.add(event);
    } catch (error) {
      throw toDependencyError(error);
    }
  };
};

/** The owner and status of a portfolio as the read model knows it (undefined: unknown). */
export type PortfolioLookup = (
  portfolioUuid: string,
) => Promise<{ owner: string | null; status: string } | undefined>;

export const portfolioFromReadModel = (db: Db): PortfolioLookup => {
  const activeVersion = cachedActiveVersion(db);
  return async (portfolioUuid) => {
    const active = await activeVersion();
    const doc = await readModelCollections(db, active).portfolios.findOne(
      { _id: portfolioUuid },
      { projection: { owner: 1, status: 1 } },
    );
    return doc === null ? undefined : { owner: doc.owner ?? null, status: doc.status };
  };
};

export type DeletedRecorder = (event: PortfolioDeleted) => Promise<void>;

/**
 * Writes the tombstone of a deleted portfolio to every read-model version the projector writes
 * (the projector's own write for PortfolioDeleted), so GET answers 404 from the DELETE's answer on;
 * the projector then removes the rest of its documents.
 */
export const deletedInReadModel =
  (db: Db): DeletedRecorder =>
  async (event) => {
    try {
      const { _id, update } = deletedPortfolio(event);
      const { writing } = await readVersions(db);
      await Promise.all(
        writing.map((version) =>
          readModelCollections(db, version).portfolios.updateOne({ _id }, update, { upsert: true }),
        ),
      );
    } catch (error) {
      throw toDependencyError(error);
    }
  };
