// Generated from test/fixtures/codegen/widgets.yaml by authnzerver-codegen. Do not edit: change the YAML, then run npm test.
import { schema, z } from '../../../../src/runtime.js';
import type * as T from './types.js';
/** Checks a {@link T.Owner} (unknown keys are kept). */
export const OwnerSchema = z.looseObject({
  owner_id: z.int(),
  api_token: z.string(),
}) satisfies z.ZodType<T.Owner>;
/** Checks a {@link T.Widget} (unknown keys are kept). */
export const WidgetSchema = z.looseObject({
  widget_id: z.int(),
  name: z.string().nullable(),
  owner: OwnerSchema,
  tags: z.array(z.string()),
  color: z.enum(['red', 'green']),
  'x-legacy': schema.anyValue().optional(),
}) satisfies z.ZodType<T.Widget>;
/** The zod schemas of every request type, by wire name: `body` is strict (unknown keys are errors), `success` and `failure` are loose (unknown keys are kept). */
export const schemas = {
  'widget-new': {
    body: z.strictObject({
      name: z.string(),
      owner_password: z.string(),
      size: z.number(),
      extra: z.record(z.string(), z.unknown()).nullable().optional(),
      labels: z.array(z.string()).nullable().optional(),
      client_ipaddr: z.string(),
    }) satisfies z.ZodType<T.WidgetNewBody>,
    success: z.looseObject({
      widget: WidgetSchema,
      token: schema.jsonString(OwnerSchema),
    }) satisfies z.ZodType<T.WidgetNewSuccess>,
    failure: z.looseObject({ widget: z.null().optional() }) satisfies z.ZodType<T.WidgetNewFailure>,
  },
  'widget-get': {
    body: z.strictObject({
      widget_id: z.int(),
      client_ipaddr: z.string(),
    }) satisfies z.ZodType<T.WidgetGetBody>,
    success: z.looseObject({
      widgets: z.array(WidgetSchema),
    }) satisfies z.ZodType<T.WidgetGetSuccess>,
    failure: z.looseObject({}) satisfies z.ZodType<T.WidgetGetFailure>,
  },
  'widget-ping': {
    body: z.strictObject({ client_ipaddr: z.string() }) satisfies z.ZodType<T.WidgetPingBody>,
    success: z.looseObject({}) satisfies z.ZodType<T.WidgetPingSuccess>,
    failure: z.looseObject({}) satisfies z.ZodType<T.WidgetPingFailure>,
  },
} as const;
