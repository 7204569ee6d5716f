export { createHttpApp, finishHttpApp, healthApp, methodNotAllowed } from './app';
export type { HttpAppOptions } from './app';
export {
  ALLOWED_ALGORITHMS,
  ANONYMOUS,
  authenticate,
  hasScope,
  MAX_AUTHORIZATION_LENGTH,
  visiblePortfolio,
  requireScope,
  SCOPES,
  withoutAuthentication,
} from './auth';
export type { AuthSettings, Principal, Scope } from './auth';
export { BODY_LIMIT_BYTES } from './body';
export { CORRELATION_HEADER, isUsableCorrelationId, USABLE_CORRELATION_ID } from './correlation';
export { DEFAULT_READINESS_TIMEOUT_MS } from './health';
export type { ReadinessChecks } from './health';
export { routeTemplate } from './observe';
export { PROBLEM_CONTENT_TYPE, problemOf, sendProblem } from './problem';
export type { Problem } from './problem';
export { authResponses, BEARER_SECURITY, bundleSchemas, unresolvedRefs } from './openapi';
export type { BundledSchemas } from './openapi';
export { openApiQueryParameters, parseQuery, pathUuid, queryParam } from './query';
export type { QueryParam } from './query';
export { startHttpServer } from './server';
export type { HttpServer } from './server';
export { startingHttpApp } from './starting';
export type { StartingHttpAppOptions } from './starting';
export { defineService } from './service';
export type { ServiceContext, ServiceDefinition, ServiceSettings } from './service';
