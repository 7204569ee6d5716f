import { isUuid, UUID_PATTERN } from './uuid';

test('a lower-case UUID of any version, nothing else', () => {
  expect(isUuid('6f0f3c4e-1111-4000-8000-000000000000')).toBe(true);
  expect(isUuid('6f0f3c4e-1111-5000-8000-000000000000')).toBe(true);
  for (const bad of ['6F0F3C4E-1111-4000-8000-000000000000', '6f0f3c4e11114000800000000000000', '', 42]) {
    expect(isUuid(bad)).toBe(false);
  }
  expect(UUID_PATTERN.flags).toBe('');
});
