export * from './keys';
export * from './documents';
export * from './collections';
export * from './versions';
