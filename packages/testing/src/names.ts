// Names that isolate a test's topics, groups and databases from every other test on the shared servers.
import { randomBytes } from 'node:crypto';

/**
 * A name no other test (or earlier run) uses: `<prefix>-<time>-<random>`. Only letters, digits,
 * `-` and `_`, at most 63 characters, so it is valid as a Kafka topic, consumer group, transactional
 * id, schema subject and MongoDB database or collection name.
 */
export function uniqueName(prefix: string): string {
  const safe = prefix.replace(/[^a-zA-Z0-9_-]/g, '-').slice(0, 40);
  return `${safe}-${Date.now().toString(36)}-${randomBytes(5).toString('hex')}`;
}
