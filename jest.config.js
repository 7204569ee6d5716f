// Two projects: `unit` (pure, no servers) and `int` (real Kafka, schema registry and MongoDB,
// provisioned once per run by the shared global setup). The file name says the tier.
const shared = {
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.base.json' }] },
  moduleNameMapper: { '^@drive-deposits/([^/]+)$': '<rootDir>/packages/$1/src' },
  testEnvironment: 'node',
  roots: ['<rootDir>/packages', '<rootDir>/services', '<rootDir>/scripts', '<rootDir>/e2e'],
  modulePathIgnorePatterns: ['<rootDir>/.*/dist/'],
};

module.exports = {
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '\\.(int|e2e)\\.test\\.ts$'],
    },
    {
      ...shared,
      displayName: 'int',
      testMatch: ['**/*.int.test.ts', '**/*.e2e.test.ts'],
      globalSetup: '<rootDir>/packages/testing/src/globalSetup.ts',
      globalTeardown: '<rootDir>/packages/testing/src/globalTeardown.ts',
      setupFilesAfterEnv: ['<rootDir>/packages/testing/src/setupIntTest.ts'],
    },
  ],
};
