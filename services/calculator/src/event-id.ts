// The id of a PortfolioCalculated event is a function of the event it was calculated from, so a
// calculation repeated after a crash (or a redelivery) writes an identical event: a name-based
// UUID (RFC 9562 version 5: SHA-1 of a namespace and the name) of the source event_id.
import { createHash } from 'node:crypto';

/** The namespace of DriveDeposits calculated-event ids (a fixed random UUID; never change it). */
const CALCULATED_EVENT_NAMESPACE = '3b0d7f52-8c1e-4e4a-9a57-0f5b2f6c1d94';

export function uuidV5(namespace: string, name: string): string {
  const bytes = createHash('sha1')
    .update(Buffer.from(namespace.replace(/-/g, ''), 'hex'))
    .update(name, 'utf8')
    .digest()
    .subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50; // version 5
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const calculatedEventId = (sourceEventId: string): string =>
  uuidV5(CALCULATED_EVENT_NAMESPACE, sourceEventId);
