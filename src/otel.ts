/**
 * The `authnzerver/otel` entry point: OpenTelemetry spans and metrics for every call (`@opentelemetry/api` is an
 * optional peer dependency, loaded by this entry point only). The instrumentation is `observe/otel.ts`.
 */
export * from './observe/otel.js';
