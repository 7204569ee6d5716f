export * from './keys';
export * from './documents';
export * from './collections';
export * from './versions';
export * from './apply';
export * from './rankings';
export * from './cursor';
export * from './explain';
