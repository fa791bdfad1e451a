// Generated from test/fixtures/codegen/widgets.yaml by authnzerver-codegen. Do not edit: change the YAML, then run npm test.
import * as z from 'zod/mini';
import { schema } from '../../../../../src/runtime.js';
import type * as T from './types.js';
/** Returns the schema that checks a {@link T.Owner} (unknown keys are kept), built on its first call. */
export const OwnerSchema = schema.once(
  () =>
    z.looseObject({ owner_id: z.int(), api_token: z.string() }) satisfies z.ZodMiniType<T.Owner>,
);
/** Returns the schema that checks a {@link T.Widget} (unknown keys are kept), built on its first call. */
export const WidgetSchema = schema.once(
  () =>
    z.looseObject({
      widget_id: z.int(),
      name: z.nullable(z.string()),
      owner: OwnerSchema(),
      tags: z.array(z.string()),
      color: z.enum(['red', 'green']),
      'x-legacy': z.optional(schema.anyValue()),
    }) satisfies z.ZodMiniType<T.Widget>,
);
/** The zod/mini schemas of every request type, by wire name: `body` is strict (unknown keys are errors), `success` and `failure` are loose (unknown keys are kept). A request type's three schemas are built when it is first read. */
export const schemas = schema.lazily({
  'widget-new': () => ({
    body: z.strictObject({
      name: z.string(),
      owner_password: z.string(),
      size: z.number(),
      made: schema.datetime(),
      extra: z.optional(z.nullable(z.record(z.string(), z.unknown()))),
      due: z.optional(z.nullable(schema.datetime())),
      labels: z.optional(z.nullable(z.array(z.string()))),
      client_ipaddr: z.string(),
    }) satisfies z.ZodMiniType<T.WidgetNewBody>,
    success: z.looseObject({
      widget: WidgetSchema(),
      token: schema.jsonString(OwnerSchema()),
    }) satisfies z.ZodMiniType<T.WidgetNewSuccess>,
    failure: z.looseObject({
      widget: z.optional(z.null()),
    }) satisfies z.ZodMiniType<T.WidgetNewFailure>,
  }),
  'widget-get': () => ({
    body: z.strictObject({
      widget_id: z.int(),
      client_ipaddr: z.string(),
    }) satisfies z.ZodMiniType<T.WidgetGetBody>,
    success: z.looseObject({
      widgets: z.array(WidgetSchema()),
    }) satisfies z.ZodMiniType<T.WidgetGetSuccess>,
    failure: z.looseObject({}) satisfies z.ZodMiniType<T.WidgetGetFailure>,
  }),
  'widget-ping': () => ({
    body: z.strictObject({ client_ipaddr: z.string() }) satisfies z.ZodMiniType<T.WidgetPingBody>,
    success: z.looseObject({}) satisfies z.ZodMiniType<T.WidgetPingSuccess>,
    failure: z.looseObject({}) satisfies z.ZodMiniType<T.WidgetPingFailure>,
  }),
});
