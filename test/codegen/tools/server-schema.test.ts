import { describe, expect, it } from 'vitest';
import {
  loadServerSchema,
  parseServerSchema,
  ServerSchemaError,
} from '../../../codegen/tools/server-schema.js';

describe('a file that is not a SCHEMA', () => {
  it.each([
    [[], 'the top level is a list, not an object'],
    [null, 'the top level is null, not an object'],
    [{}, 'it has no request types'],
    [{ 'user-login': 'str' }, '"user-login": is a string, not an object with args and kwargs'],
    [{ 'user-login': { args: [] } }, '"user-login": has no kwargs list'],
    [{ 'user-login': { args: {}, kwargs: [] } }, '"user-login".args: is an object, not a list'],
    [{ x: { args: ['email'], kwargs: [] } }, '"x".args[0]: is a string, not an object'],
    [{ x: { args: [{ type: 'str' }], kwargs: [] } }, '"x".args[0].name: must be a non-empty'],
    [{ x: { args: [{ name: 'a' }], kwargs: [] } }, '"x".args[0].type: must be a type word'],
    [{ x: { args: [{ name: 'a', type: [] }], kwargs: [] } }, '"x".args[0].type: must be a type'],
    [{ x: { args: [{ name: 'a', type: [1] }], kwargs: [] } }, '"x".args[0].type: must be a type'],
    [
      { x: { args: [{ name: 'a', type: 'str', doc: 3 }], kwargs: [] } },
      '"x".args[0].doc: is a number, not a string',
    ],
    [
      { x: { args: [{ name: 'a', type: 'str' }], kwargs: [{ name: 'a', type: 'int' }] } },
      '"x".kwargs[0].name: "a" is listed twice',
    ],
  ])('%#: %j', (data, message) => {
    expect(() => loadServerSchema(data, 's.json')).toThrow(ServerSchemaError);
    expect(() => loadServerSchema(data, 's.json')).toThrow(
      `s.json: not an authnzerver SCHEMA (a JSON object of request types, each with args and kwargs): ${message}`,
    );
  });

  it('says when a file is not JSON at all', () => {
    expect(() => parseServerSchema('version: 1\n', 's.yaml')).toThrow(
      /^s\.yaml: not JSON \(.+\); expected the JSON dump of authnzerver's apischema\.SCHEMA$/,
    );
  });
});
