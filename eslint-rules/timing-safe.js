/**
 * ESLint rules that keep signature checks in constant time (eslint.config.js turns them on for src/web/).
 *
 * A cookie signature is checked with `crypto.subtle.verify`, which compares in constant time. Comparing the
 * expected MAC with the one sent, by `===` or byte by byte, returns sooner the earlier they differ, and that
 * difference in time lets an attacker find a valid signature a byte at a time. So:
 *
 * - `no-mac-comparison`: a value made by a signing call (`crypto.subtle.sign`, any `.sign()`, `createHmac`,
 *   `.digest()`), or any value computed from one, is never compared (`===`, `!==`, `==`, `!=`, `switch`) or
 *   handed to a comparing method (`equals`, `compare`, `every`, `includes`, `startsWith`, ...) or to a function
 *   whose name says it compares (`bytesEqual`, `sameMac`, ...).
 * - `unsign-verifies`: a function or method named `unsign` calls `crypto.subtle.verify`, and gives back the
 *   signed value only from inside `if (await crypto.subtle.verify(...))`.
 */

const EQUALITY = new Set(['===', '!==', '==', '!=']);
const COMPARING_METHODS = new Set([
  'equals',
  'compare',
  'localeCompare',
  'every',
  'some',
  'includes',
  'indexOf',
  'lastIndexOf',
  'startsWith',
  'endsWith',
  'has',
  'get',
]);
/** A function of the app's own that compares: `bytesEqual(expected, mac)`, `sameMac(a, b)`, ... */
const COMPARING_NAME = /equal|compare|same|match/i;

/** The name of a call's method or function: `sign` for `a.b.sign(...)` and `sign(...)`. */
function calleeName(call) {
  const callee = call.callee;
  if (callee.type === 'Identifier') return callee.name;
  if (
    callee.type === 'MemberExpression' &&
    !callee.computed &&
    callee.property.type === 'Identifier'
  )
    return callee.property.name;
  if (callee.type === 'MemberExpression' && callee.property.type === 'PrivateIdentifier')
    return callee.property.name;
  return undefined;
}

/** Whether a call is `crypto.subtle.<method>(...)` (or `globalThis.crypto.subtle.<method>(...)`). */
function isSubtleCall(node, method) {
  if (node.type !== 'CallExpression') return false;
  const callee = node.callee;
  return (
    callee.type === 'MemberExpression' &&
    !callee.computed &&
    callee.property.type === 'Identifier' &&
    callee.property.name === method &&
    callee.object.type === 'MemberExpression' &&
    !callee.object.computed &&
    callee.object.property.type === 'Identifier' &&
    callee.object.property.name === 'subtle'
  );
}

function isSigningCall(node) {
  if (node.type !== 'CallExpression') return false;
  const name = calleeName(node);
  return name === 'sign' || name === 'createHmac' || name === 'digest';
}

/** The child nodes of an ESTree node (parent links and type annotations aside). */
function children(node) {
  const out = [];
  for (const [key, value] of Object.entries(node)) {
    if (
      key === 'parent' ||
      key === 'typeAnnotation' ||
      key === 'returnType' ||
      key === 'loc' ||
      key === 'range'
    )
      continue;
    if (Array.isArray(value)) {
      for (const item of value) if (item && typeof item.type === 'string') out.push(item);
    } else if (value && typeof value.type === 'string') {
      out.push(value);
    }
  }
  return out;
}

/** @type {import('eslint').Rule.RuleModule} */
const noMacComparison = {
  meta: {
    type: 'problem',
    docs: {
      description: 'A MAC or signature is checked with crypto.subtle.verify, never compared.',
    },
    schema: [],
    messages: {
      compared:
        'A value made by a signing call is compared here, which takes longer the more bytes match: check a MAC with crypto.subtle.verify (constant time) instead.',
    },
  },
  create(context) {
    const source = context.sourceCode;
    /** Variables whose value is made from a signing call. */
    const tainted = new Set();

    /** Whether an expression is made from a signing call or from a variable that holds one. */
    function isTainted(node) {
      if (isSigningCall(node)) return true;
      if (node.type === 'Identifier') {
        const variable = resolve(node);
        if (variable !== undefined && tainted.has(variable)) return true;
      }
      return children(node).some(isTainted);
    }

    function resolve(identifier) {
      let scope = source.getScope(identifier);
      while (scope) {
        const ref = scope.references.find((r) => r.identifier === identifier);
        if (ref) return ref.resolved ?? undefined;
        scope = scope.upper;
      }
      return undefined;
    }

    function check(node, operand) {
      if (operand && isTainted(operand)) context.report({ node, messageId: 'compared' });
    }

    return {
      'Program:exit'(program) {
        // Mark every variable written from a signing call, until nothing changes (a = sign(); b = f(a); ...).
        const variables = source.scopeManager.scopes.flatMap((scope) => scope.variables);
        let changed = true;
        while (changed) {
          changed = false;
          for (const variable of variables) {
            if (tainted.has(variable)) continue;
            const written = variable.references.some((r) => r.writeExpr && isTainted(r.writeExpr));
            const defined = variable.defs.some(
              (d) => d.type === 'FunctionName' && d.node.body && isTainted(d.node.body),
            );
            if (written || defined) {
              tainted.add(variable);
              changed = true;
            }
          }
        }
        // Then look for comparisons of such values.
        const visit = (node) => {
          if (node.type === 'BinaryExpression' && EQUALITY.has(node.operator)) {
            if (isTainted(node.left) || isTainted(node.right))
              context.report({ node, messageId: 'compared' });
          } else if (node.type === 'SwitchStatement') {
            check(node, node.discriminant);
          } else if (node.type === 'CallExpression') {
            const name = calleeName(node) ?? '';
            if (COMPARING_METHODS.has(name) || COMPARING_NAME.test(name)) {
              const receiver =
                node.callee.type === 'MemberExpression' ? node.callee.object : undefined;
              if ((receiver && isTainted(receiver)) || node.arguments.some(isTainted))
                context.report({ node, messageId: 'compared' });
            }
          }
          for (const child of children(node)) visit(child);
        };
        visit(program);
      },
    };
  },
};

/** @type {import('eslint').Rule.RuleModule} */
const unsignVerifies = {
  meta: {
    type: 'problem',
    docs: {
      description:
        'unsign() returns the value only when crypto.subtle.verify says the MAC matches.',
    },
    schema: [],
    messages: {
      noVerify: 'unsign() must check the MAC with crypto.subtle.verify (constant time).',
      unguarded:
        'unsign() gives back a value here without crypto.subtle.verify having accepted its MAC: return it only inside `if (await crypto.subtle.verify(...))`.',
    },
  },
  create(context) {
    /** Whether `node` sits in the `then` branch of an `if` (inside `fn`) whose test is crypto.subtle.verify. */
    function guardedByVerify(node, fn) {
      let child = node;
      for (
        let parent = node.parent;
        parent && parent !== fn;
        child = parent, parent = parent.parent
      ) {
        if (parent.type === 'IfStatement' && parent.consequent === child) {
          const test = parent.test.type === 'AwaitExpression' ? parent.test.argument : parent.test;
          if (isSubtleCall(test, 'verify')) return true;
        }
      }
      return false;
    }

    function unsignName(fn) {
      const parent = fn.parent;
      if (fn.id) return fn.id.name;
      if (
        (parent.type === 'Property' || parent.type === 'MethodDefinition') &&
        parent.key.type === 'Identifier'
      )
        return parent.key.name;
      if (parent.type === 'VariableDeclarator' && parent.id.type === 'Identifier')
        return parent.id.name;
      return undefined;
    }

    function checkFunction(fn) {
      if (unsignName(fn) !== 'unsign') return;
      let verifies = false;
      const returns = [];
      const visit = (node) => {
        if (isSubtleCall(node, 'verify')) verifies = true;
        if (node.type === 'ReturnStatement') returns.push(node);
        for (const child of children(node)) {
          // Nested functions return for themselves, not for unsign().
          if (child.type.endsWith('FunctionExpression') || child.type === 'FunctionDeclaration')
            continue;
          visit(child);
        }
      };
      visit(fn.body);
      if (!verifies) context.report({ node: fn, messageId: 'noVerify' });
      for (const ret of returns) {
        const arg = ret.argument;
        const isNull = arg && arg.type === 'Literal' && arg.value === null;
        if (!isNull && !guardedByVerify(ret, fn))
          context.report({ node: ret, messageId: 'unguarded' });
      }
    }

    return {
      FunctionDeclaration: checkFunction,
      FunctionExpression: checkFunction,
      ArrowFunctionExpression: checkFunction,
    };
  },
};

export default {
  meta: { name: 'timing-safe' },
  rules: { 'no-mac-comparison': noMacComparison, 'unsign-verifies': unsignVerifies },
};
