// UUID v4s derived from a seed, for repeatable CLI output (--seed): the same seed gives the
// same ids, in the same order. Well-formed v4 (version and variant bits set), lower case.
import { createHash } from 'node:crypto';

export function seededIds(seed: string): () => string {
  let counter = 0;
  return () => {
    const bytes = createHash('sha256').update(`${seed}\u0000${counter++}`).digest().subarray(0, 16);
    bytes[6] = (bytes[6]! & 0x0f) | 0x40; // version 4
    bytes[8] = (bytes[8]! & 0x3f) | 0x80; // variant 10xx
    const hex = bytes.toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  };
}
