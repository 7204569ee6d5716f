export { bool, file, int, list, oneOf, str, url } from './vars';
export type {
  Declared,
  IntOptions,
  ListOptions,
  Rule,
  StrOptions,
  UrlOptions,
  Var,
  VarOptions,
} from './vars';
export { describeConfig, loadConfig, maskUrlCredentials } from './load';
export type { ConfigOf, Env, Spec } from './load';
export * from './common';
export * from './services';
export { resolveAuth } from './auth';
export type { AuthConfig } from './auth';
