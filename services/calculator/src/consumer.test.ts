import type { Message } from 'kafkajs';
import { chunksOf } from './consumer';

const message = (bytes: number, key: string): Message => ({ key, value: Buffer.alloc(bytes) });

test('chunks keep order, stay within the byte budget, and an oversized message goes alone', () => {
  const messages = [
    message(300, 'a'),
    message(300, 'b'),
    message(500, 'c'),
    message(2000, 'd'),
    message(1, 'e'),
  ];
  const chunks = chunksOf(messages, 1000);
  expect(chunks.map((chunk) => chunk.map((m) => m.key))).toEqual([['a', 'b'], ['c'], ['d'], ['e']]);
  expect(chunks.flat()).toEqual(messages);
});

test('no messages, no chunks', () => {
  expect(chunksOf([], 1000)).toEqual([]);
});
