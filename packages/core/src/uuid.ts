// The one spelling of an id in this system (spec §4): a lower-case UUID, any version (portfolio,
// bank and deposit ids are v4, calculated-event ids v5). Digits are [0-9], not \d, so the pattern
// means the same in every regex dialect that reads it (OpenAPI documents reuse its source).
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const isUuid = (value: unknown): value is string =>
  typeof value === 'string' && UUID_PATTERN.test(value);
