// Blue-green rebuild of the read models (docs/architecture.md "Rebuild"): version N+1 gets its
// indexes and joins `writing` (the live projector writes every later event to it too), then a
// fresh consumer group replays the three topics from the beginning into N+1 alone, until it has
// passed the end offsets taken right after N+1 joined `writing` (which are at or beyond the live
// projector's committed offsets). Then N+1 becomes `active` and the only version written.
import type { Logger } from '@drive-deposits/logging';
import type { EventCodec, TopicNames } from '@drive-deposits/kafka';
import {
  activateVersion,
  addWritingVersion,
  createReadModelIndexes,
  readModelCollections,
  readVersions,
} from '@drive-deposits/read-model';
import type { Metrics } from '@drive-deposits/runtime';
import type { Kafka } from 'kafkajs';
import type { Db } from 'mongodb';
import { createProjector } from './projector';

export interface RebuildDeps {
  kafka: Kafka;
  codec: EventCodec;
  db: Db;
  topics: TopicNames;
  /** the live projector's group; the rebuild's group is derived from it */
  liveGroupId: string;
  logger: Logger;
  metrics: Metrics;
  /** one progress line (events/s, lag) */
  progress?: (line: string) => void;
  progressIntervalMs?: number;
}

export interface RebuildResult {
  version: number;
  events: number;
  seconds: number;
}

type Offsets = Map<string, number>; // "topic:partition" → offset

export async function rebuildReadModels(deps: RebuildDeps): Promise<RebuildResult> {
  const { kafka, db, topics, logger } = deps;
  const progress = deps.progress ?? ((line: string) => logger.info(line));
  // the topics the projector consumes
  const all = [topics.portfolioSubmitted, topics.portfolioCalculated, topics.portfolioDeleted];

  const current = await readVersions(db);
  const version = Math.max(current.active, ...current.writing) + 1;
  await createReadModelIndexes(readModelCollections(db, version));
  const added = await addWritingVersion(db);
  if (!added.writing.includes(version))
    throw new Error(`another rebuild changed the versions: ${JSON.stringify(added)}`);
  progress(
    `rebuild: version ${version} created with its indexes and added to writing (active ${added.active})`,
  );

  const admin = kafka.admin();
  await admin.connect();
  const targets: Offsets = new Map();
  const positions: Offsets = new Map();
  for (const topic of all) {
    for (const { partition, high, low } of await admin.fetchTopicOffsets(topic)) {
      targets.set(`${topic}:${partition}`, Number(high));
      positions.set(`${topic}:${partition}`, Number(low));
    }
  }
  const lag = () =>
    [...targets].reduce((sum, [key, target]) => sum + Math.max(0, target - (positions.get(key) ?? 0)), 0);

  const groupId = `${deps.liveGroupId}-rebuild-v${version}-${Date.now().toString(36)}`;
  const projector = createProjector({
    kafka,
    codec: deps.codec,
    db,
    topics,
    groupId,
    logger,
    metrics: deps.metrics,
    targetVersions: async () => [version],
  });
  let events = 0;
  const { consumer } = projector;
  // Also fired for batches of transaction markers only, which never reach eachBatch.
  consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
    const key = `${payload.topic}:${payload.partition}`;
    positions.set(key, Math.max(positions.get(key) ?? 0, Number(payload.lastOffset) + 1));
    events += payload.batchSize;
  });

  const started = Date.now();
  let reported = { at: started, events: 0 };
  await projector.start();
  try {
    while (lag() > 0) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const now = Date.now();
      if (now - reported.at >= (deps.progressIntervalMs ?? 1000)) {
        const rate = ((events - reported.events) * 1000) / (now - reported.at);
        progress(`rebuild: ${events} events replayed, ${rate.toFixed(0)} events/s, lag ${lag()}`);
        reported = { at: now, events };
      }
    }
    // The last batch's writes are acknowledged before END_BATCH_PROCESS fires.
    await activateVersion(db, version);
  } finally {
    await projector.stop();
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
  const seconds = (Date.now() - started) / 1000;
  progress(`rebuild: done, version ${version} active; ${events} events in ${seconds.toFixed(1)} s`);
  return { version, events, seconds };
}
