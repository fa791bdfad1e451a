import { stringify } from 'yaml';
import { isSecretKey, REDACTED } from '../../src/core/redact.js';
import { pascalCase, type Catalogue, type Field } from '../generator/catalogue.js';
import type { TypeNode } from '../generator/types.js';
import { ShapeChecker, typeText, type RecordedReplies } from './transcripts.js';

/**
 * Reply shapes learnt from recorded replies (`authnzerver-codegen infer`): for each request type and outcome, the
 * keys seen in every reply (required) or only in some (`optional: true`), each key's type from the values seen
 * (`int`, `str | None`, `list[str]`, …), the catalogue's named types where every object seen fits one (`SessionInfo`,
 * `json[ApiKeyPayload]` for a string of JSON), and a new named type where none fits. Redacted secrets say nothing
 * of their type: the catalogue's type is kept for them, or `Any`. Pure: the command reads the files and prints.
 */

/** A reply key as inferred. */
export interface InferredField {
  readonly name: string;
  readonly type: TypeNode;
  /** Absent from some replies. */
  readonly optional: boolean;
  /** Redacted in the recording, or named like a secret. */
  readonly secret: boolean;
  /** In how many replies it was present, of how many. */
  readonly seen: number;
  readonly of: number;
}

/** A named type proposed for objects that fit none of the catalogue's. */
export interface ProposedType {
  readonly name: string;
  readonly fields: readonly InferredField[];
}

/** The inferred shapes of one request type. */
export interface InferredShapes {
  readonly type: string;
  /** Undefined when no reply of that outcome was recorded. */
  readonly success: readonly InferredField[] | undefined;
  readonly failure: readonly InferredField[] | undefined;
  readonly replies: { readonly success: number; readonly failure: number };
}

/** What `infer` found: shapes per request type, and the named types it had to propose. */
export interface Inference {
  readonly shapes: readonly InferredShapes[];
  readonly proposed: readonly ProposedType[];
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const primitive = (name: 'str' | 'int' | 'float' | 'bool' | 'list' | 'Any' | 'None'): TypeNode => ({
  kind: 'primitive',
  name,
});

const union = (members: readonly TypeNode[]): TypeNode =>
  members.length === 1 ? (members[0] as TypeNode) : { kind: 'union', members };

/** Drops `None` from a type (a redacted secret is never null: null is not redacted). */
function withoutNone(node: TypeNode): TypeNode {
  if (node.kind !== 'union') return node;
  const members = node.members.filter((m) => !(m.kind === 'primitive' && m.name === 'None'));
  return members.length === 0 ? primitive('Any') : union(members);
}

class Inferrer {
  readonly #checker: ShapeChecker;
  readonly #catalogue: Catalogue;
  readonly proposed = new Map<string, ProposedType>();

  constructor(catalogue: Catalogue) {
    this.#catalogue = catalogue;
    this.#checker = new ShapeChecker(catalogue);
  }

  /** The catalogue's named type that every object fits (the one with the most fields when several do). */
  #namedFit(objects: readonly Record<string, unknown>[]): string | undefined {
    const fits = this.#catalogue.types.filter((named) =>
      objects.every(
        (value) => this.#checker.fields(named.fields, value, '', named.name).length === 0,
      ),
    );
    fits.sort((a, b) => b.fields.length - a.fields.length);
    return fits[0]?.name;
  }

  /** The type of a key from its values; `known` is the catalogue's type of the key, for redacted values. */
  type(values: readonly unknown[], hint: string, known: TypeNode | undefined): TypeNode {
    const members: TypeNode[] = [];
    const strings = values.filter((v): v is string => typeof v === 'string' && v !== REDACTED);
    const numbers = values.filter((v): v is number => typeof v === 'number');
    const arrays = values.filter((v): v is unknown[] => Array.isArray(v));
    const objects = values.filter(isObject);
    const redacted = values.some((v) => v === REDACTED);

    if (strings.length > 0) members.push(this.#stringType(strings));
    if (numbers.length > 0)
      members.push(primitive(numbers.every(Number.isInteger) ? 'int' : 'float'));
    if (values.some((v) => typeof v === 'boolean')) members.push(primitive('bool'));
    if (arrays.length > 0) {
      const items = arrays.flat();
      members.push(
        items.length === 0
          ? primitive('list')
          : { kind: 'list', of: this.type(items, hint, undefined) },
      );
    }
    if (objects.length > 0) members.push(this.#objectType(objects, hint));
    if (redacted && members.length === 0)
      members.push(known === undefined ? primitive('Any') : withoutNone(known));
    if (values.some((v) => v === null)) members.push(primitive('None'));
    return members.length === 0 ? primitive('Any') : union(members);
  }

  /** `json[Name]` when every string is the JSON text of an object of one named type; `str` otherwise. */
  #stringType(strings: readonly string[]): TypeNode {
    const parsed: Record<string, unknown>[] = [];
    for (const text of strings) {
      if (!text.startsWith('{')) return primitive('str');
      try {
        const value: unknown = JSON.parse(text);
        if (!isObject(value)) return primitive('str');
        parsed.push(value);
      } catch {
        return primitive('str');
      }
    }
    const name = this.#namedFit(parsed);
    return name === undefined ? primitive('str') : { kind: 'json', of: { kind: 'ref', name } };
  }

  #objectType(objects: readonly Record<string, unknown>[], hint: string): TypeNode {
    const name = this.#namedFit(objects);
    if (name !== undefined) return { kind: 'ref', name };
    // None fits: propose one, named after where it was found, unless the name is taken.
    let proposal = pascalCase(hint);
    const taken = new Set([...this.#catalogue.types.map((t) => t.name), ...this.proposed.keys()]);
    for (let n = 2; taken.has(proposal); n++) proposal = `${pascalCase(hint)}${n}`;
    this.proposed.set(proposal, { name: proposal, fields: [] });
    this.proposed.set(proposal, { name: proposal, fields: this.fields(objects, hint, undefined) });
    return { kind: 'ref', name: proposal };
  }

  /** The fields of a set of objects: present in all (required) or some (optional). */
  fields(
    objects: readonly Readonly<Record<string, unknown>>[],
    hint: string,
    known: readonly Field[] | undefined,
  ): InferredField[] {
    const names: string[] = [];
    for (const value of objects)
      for (const key of Object.keys(value)) if (!names.includes(key)) names.push(key);
    return names.map((name) => {
      const present = objects.filter((value) => Object.hasOwn(value, name));
      const values = present.map((value) => value[name]);
      const field = known?.find((f) => f.name === name);
      return {
        name,
        type: this.type(values, `${hint}_${name}`, field?.type),
        optional: present.length < objects.length,
        secret: isSecretKey(name) || values.includes(REDACTED) || field?.secret === true,
        seen: present.length,
        of: objects.length,
      };
    });
  }
}

/**
 * Infers the reply shapes of the recorded replies, per request type (in the catalogue's order, then the types it
 * lacks), or only of `types`.
 */
export function inferShapes(
  catalogue: Catalogue,
  recorded: RecordedReplies,
  types?: readonly string[],
): Inference {
  const inferrer = new Inferrer(catalogue);
  const order = [
    ...catalogue.requests.map((r) => r.type),
    ...recorded.replies.map((r) => r.type),
  ].filter((type, index, all) => all.indexOf(type) === index);
  const wanted = types === undefined ? order : order.filter((type) => types.includes(type));
  const shapes: InferredShapes[] = [];
  for (const type of wanted) {
    const replies = recorded.replies.filter((r) => r.type === type);
    if (replies.length === 0) continue;
    const request = catalogue.requests.find((r) => r.type === type);
    const of = (outcome: 'success' | 'failure'): InferredField[] | undefined => {
      const keys = replies.filter((r) => r.outcome === outcome).map((r) => r.keys);
      return keys.length === 0
        ? undefined
        : inferrer.fields(keys, `${type}-${outcome}`, request?.[outcome]);
    };
    shapes.push({
      type,
      success: of('success'),
      failure: of('failure'),
      replies: {
        success: replies.filter((r) => r.outcome === 'success').length,
        failure: replies.filter((r) => r.outcome === 'failure').length,
      },
    });
  }
  return { shapes, proposed: [...inferrer.proposed.values()] };
}

const scalar = (value: string): string => stringify(value, { lineWidth: 0 }).trimEnd();

function fieldLines(fields: readonly InferredField[], pad: string): string[] {
  if (fields.length === 0) return [];
  return fields.flatMap((field) => {
    const type = scalar(typeText(field.type));
    const seen = field.optional ? ` # in ${field.seen} of ${field.of}` : '';
    if (!field.optional && !field.secret) return [`${pad}${scalar(field.name)}: ${type}`];
    return [
      `${pad}${scalar(field.name)}:${seen}`,
      `${pad}  type: ${type}`,
      ...(field.optional ? [`${pad}  optional: true`] : []),
      ...(field.secret ? [`${pad}  secret: true`] : []),
    ];
  });
}

/**
 * The inference as catalogue YAML: a `types:` block for proposed named types, and under `requests:` the `success`
 * and `failure` of each type, to paste over the entry's (a `# no … replies recorded` comment where there were none).
 */
export function formatInference(inference: Inference, source: string): string {
  const lines = [
    `# Reply shapes inferred by authnzerver-codegen infer from ${source}. Keys seen in every reply are required,`,
    '# the others optional; types are the values seen (a key seen only as null is None: widen it if it can be more).',
  ];
  if (inference.shapes.length === 0) return `${lines.join('\n')}\n# (no recorded replies)\n`;
  if (inference.proposed.length > 0) {
    lines.push('types:');
    for (const proposed of inference.proposed) {
      lines.push(
        `  ${proposed.name}:`,
        '    doc: Inferred from recorded replies; describe it.',
        proposed.fields.length === 0 ? '    fields: {}' : '    fields:',
        ...fieldLines(proposed.fields, '      '),
      );
    }
  }
  lines.push('requests:');
  for (const shape of inference.shapes) {
    lines.push(
      `  ${scalar(shape.type)}:`,
      `    # from ${shape.replies.success} success and ${shape.replies.failure} failure replies`,
    );
    for (const outcome of ['success', 'failure'] as const) {
      const fields = shape[outcome];
      if (fields === undefined)
        lines.push(`    # no ${outcome} replies recorded: keep the entry's ${outcome}`);
      else if (fields.length === 0) lines.push(`    ${outcome}: {}`);
      else lines.push(`    ${outcome}:`, ...fieldLines(fields, '      '));
    }
  }
  return `${lines.join('\n')}\n`;
}

/** How an inferred key compares with the catalogue's. */
export interface ShapeDifference {
  readonly type: string;
  readonly outcome: 'success' | 'failure';
  readonly key: string;
  /**
   * `not-in-catalogue`, `optional-in-replies` (the catalogue requires it) and `wider` (values the catalogue's type
   * does not take) are incompatible; `never-seen`, `always-seen` (optional in the catalogue) and `narrower` only say
   * that the replies did not show all the catalogue allows.
   */
  readonly kind:
    | 'not-in-catalogue'
    | 'optional-in-replies'
    | 'wider'
    | 'never-seen'
    | 'always-seen'
    | 'narrower';
  readonly message: string;
}

/** The kinds of {@link ShapeDifference} that mean the catalogue does not describe the replies. */
export const INCOMPATIBLE: ReadonlySet<ShapeDifference['kind']> = new Set([
  'not-in-catalogue',
  'optional-in-replies',
  'wider',
]);

/** Whether every value of `inner` is a value of `outer` (structurally, on the catalogue's type language). */
export function typeWithin(inner: TypeNode, outer: TypeNode, catalogue: Catalogue): boolean {
  if (inner.kind === 'union') return inner.members.every((m) => typeWithin(m, outer, catalogue));
  if (outer.kind === 'union') return outer.members.some((m) => typeWithin(inner, m, catalogue));
  if (outer.kind === 'primitive') {
    const name = outer.name;
    if (name === 'Any') return !(inner.kind === 'primitive' && inner.name === 'None');
    if (inner.kind === 'primitive')
      return inner.name === name || (inner.name === 'int' && name === 'float');
    if (name === 'str') return inner.kind === 'literal' || inner.kind === 'json';
    if (name === 'list') return inner.kind === 'list';
    if (name === 'dict') return inner.kind === 'ref';
    return false;
  }
  if (outer.kind === 'literal') return inner.kind === 'literal' && inner.value === outer.value;
  if (outer.kind === 'list' || outer.kind === 'json')
    return (
      (inner.kind === outer.kind && typeWithin(inner.of, outer.of, catalogue)) ||
      (outer.kind === 'list' && inner.kind === 'primitive' && inner.name === 'list')
    );
  // A named type: the same one. A proposed type is never within a catalogue type.
  return inner.kind === 'ref' && inner.name === outer.name;
}

/** Where the inferred shapes and the catalogue's differ, key by key. */
export function compareWithCatalogue(
  catalogue: Catalogue,
  inference: Inference,
): ShapeDifference[] {
  const differences: ShapeDifference[] = [];
  for (const shape of inference.shapes) {
    const request = catalogue.requests.find((r) => r.type === shape.type);
    for (const outcome of ['success', 'failure'] as const) {
      const inferred = shape[outcome];
      if (inferred === undefined || request === undefined) continue;
      if (outcome === 'success' ? request.successUnknown : request.failureUnknown) continue;
      const add = (key: string, kind: ShapeDifference['kind'], message: string): void => {
        differences.push({ type: shape.type, outcome, key, kind, message });
      };
      const written = request[outcome];
      for (const field of inferred) {
        const ours = written.find((f) => f.name === field.name);
        if (ours === undefined) {
          add(
            field.name,
            'not-in-catalogue',
            `recorded (${typeText(field.type)}) but not in the catalogue`,
          );
          continue;
        }
        if (field.optional && !ours.optional)
          add(
            field.name,
            'optional-in-replies',
            `required in the catalogue, but absent from ${field.of - field.seen} of ${field.of} replies`,
          );
        if (!field.optional && ours.optional && field.of > 1)
          add(
            field.name,
            'always-seen',
            `optional in the catalogue, present in all ${field.of} replies`,
          );
        const within = typeWithin(field.type, ours.type, catalogue);
        const back = typeWithin(ours.type, field.type, catalogue);
        if (!within)
          add(
            field.name,
            'wider',
            `recorded ${typeText(field.type)}, the catalogue says ${ours.typeText}`,
          );
        else if (!back)
          add(
            field.name,
            'narrower',
            `recorded only ${typeText(field.type)}, the catalogue says ${ours.typeText}`,
          );
      }
      for (const ours of written)
        if (!inferred.some((f) => f.name === ours.name))
          add(
            ours.name,
            'never-seen',
            `in the catalogue (${ours.typeText}) but in none of the replies`,
          );
    }
  }
  return differences;
}
