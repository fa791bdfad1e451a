// Generated from test/fixtures/codegen/widgets.yaml by authnzerver-codegen. Do not edit: change the YAML, then run npm test.
import type { SpecRegistry } from '../../../../../src/runtime.js';
import { schemas } from './schemas.js';
import type { WidgetsRequests } from './types.js';
/** The name of the catalogue this client was generated from. */
export const CATALOGUE_NAME = 'widgets';
/** sha256 of the catalogue this client was generated from, to tell generated clients apart. */
export const CATALOGUE_HASH = '36792fcd2e9d31d01eecfe6993b4333551e1f2cf45d80885c3965b0e300254b8';
/** Every request type of the catalogue, in catalogue order. */
export const REQUEST_TYPES = ['widget-new', 'widget-get', 'widget-ping'] as const;
/** What the client knows of each request type: its method, retry class, deadline class, secret fields, the fields that take a `Date`, and schemas (read from `schemas`, so built by their first use). */
export const specs = {
  'widget-new': {
    type: 'widget-new',
    method: 'widgetNew',
    sideEffects: 'write',
    timeout: 'default',
    secrets: { body: ['owner_password'], response: ['widget.owner.api_token', 'token'] },
    datetimes: ['made', 'due'],
    get body() {
      return schemas['widget-new'].body;
    },
    get success() {
      return schemas['widget-new'].success;
    },
    get failure() {
      return schemas['widget-new'].failure;
    },
  },
  'widget-get': {
    type: 'widget-get',
    method: 'widgetGet',
    sideEffects: 'read',
    timeout: 'login',
    secrets: { body: [], response: ['widgets[].owner.api_token'] },
    get body() {
      return schemas['widget-get'].body;
    },
    get success() {
      return schemas['widget-get'].success;
    },
    get failure() {
      return schemas['widget-get'].failure;
    },
  },
  'widget-ping': {
    type: 'widget-ping',
    method: 'widgetPing',
    sideEffects: 'read',
    timeout: 'default',
    secrets: { body: [], response: [] },
    get body() {
      return schemas['widget-ping'].body;
    },
    get success() {
      return schemas['widget-ping'].success;
    },
    get failure() {
      return schemas['widget-ping'].failure;
    },
  },
} as const satisfies SpecRegistry<WidgetsRequests>;
