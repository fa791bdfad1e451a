/**
 * Where each setting of the client comes from: its option, else its environment variable (quotes stripped), and
 * for the secret also the file `AUTHNZERVER_SECRET_FILE` names; and how an error names that source.
 */
import { platform } from '#platform';
import { ConfigError } from './core/errors.js';

export function stripQuotes(value: string): string {
  return value
    .trim()
    .replace(/^["']+|["']+$/g, '')
    .trim();
}

export function pick<T>(
  option: T | undefined,
  env: Readonly<Record<string, string | undefined>>,
  envVar: string,
): { value: T | string; from: 'option' | 'env' } | undefined {
  if (option !== undefined) return { value: option, from: 'option' };
  const fromEnv = env[envVar];
  if (fromEnv !== undefined && fromEnv.trim() !== '') return { value: fromEnv, from: 'env' };
  return undefined;
}

export function describe(option: string, envVar: string, from: 'option' | 'env' | 'file'): string {
  if (from === 'file') return `the file ${envVar}_FILE names (the \`${option}\` option's fallback)`;
  return from === 'option'
    ? `the \`${option}\` option`
    : `${envVar} (the \`${option}\` option's fallback)`;
}

/**
 * The secret as given: the `secret` option, else `AUTHNZERVER_SECRET`, else the contents of the file
 * `AUTHNZERVER_SECRET_FILE` names (as Docker and Kubernetes mount secrets; the server also reads its secret from a
 * file). Both variables at once is a `ConfigError`: which one wins would be a guess.
 */
export function pickSecret<T>(
  option: T | undefined,
  env: Readonly<Record<string, string | undefined>>,
): { value: T | string; from: 'option' | 'env' | 'file' } | undefined {
  const picked = pick(option, env, 'AUTHNZERVER_SECRET');
  if (picked?.from === 'option') return picked;
  const fromFile = readSecretFile('AUTHNZERVER_SECRET', env, 'secret', picked !== undefined);
  return fromFile === undefined ? picked : { value: fromFile, from: 'file' };
}

/**
 * The contents of the file `${envVar}_FILE` names, its lines trimmed and joined with commas (a mounted secret often
 * ends with a newline; a key list may span lines, one key per line), or `undefined` when that variable is unset.
 * @param alsoSet whether `envVar` itself is set: with the file too, which one wins would be a guess, so it throws.
 * @throws {ConfigError} naming the variable (never the contents): both set, a file that cannot be read, or is empty.
 */
export function readSecretFile(
  envVar: string,
  env: Readonly<Record<string, string | undefined>>,
  option: string | undefined,
  alsoSet: boolean,
): string | undefined {
  // A secret of the app (secretFromEnv) has no option of ours: its variable stands for it in the error.
  const fileVar = `${envVar}_FILE`;
  const file = env[fileVar];
  if (file === undefined || file.trim() === '') return undefined;
  const details = { option: option ?? envVar, envVar: fileVar };
  if (alsoSet) {
    throw new ConfigError(`both ${envVar} and ${fileVar} are set: set one of them`, details);
  }
  const path = stripQuotes(file);
  if (platform.tls === undefined) {
    const instead = option === undefined ? `set ${envVar}` : `pass the \`${option}\` option`;
    throw new ConfigError(
      `${fileVar} is set, but ${platform.label} cannot read files: ${instead}`,
      details,
    );
  }
  let text: string;
  try {
    text = new TextDecoder().decode(platform.tls.readFile(path));
  } catch (cause) {
    const reason = (cause as { code?: string }).code ?? 'unreadable';
    throw new ConfigError(`${fileVar} names a file that cannot be read (${reason}): ${path}`, {
      ...details,
      cause,
    });
  }
  const value = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .join(',');
  if (value === '') {
    throw new ConfigError(`${fileVar} names an empty file: ${path}`, details);
  }
  return value;
}

/** Options of {@link secretFromEnv}. */
export interface SecretFromEnvOptions {
  /** The environment to read. @default the process's (`process.env`, `Deno.env`, …) */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
}

/**
 * A secret of your app (the web layer's `signingSecret`, `apiKeys.secret`, `passwordReset.secret`,
 * `emailVerification.secret`, Next.js's `stateSecret`, …) from the environment as Docker and Kubernetes give it:
 * the variable `name`, else the contents of the file `${name}_FILE` names (trailing newline dropped; several lines
 * are joined with commas). Both set, neither set, an unreadable or empty file: a `ConfigError` naming the variable,
 * never showing a secret.
 *
 * @example
 * const auth = createWebAuth({ signingSecret: secretFromEnv('SESSION_SIGNING_SECRET') });
 */
export function secretFromEnv(name: string, options: SecretFromEnvOptions = {}): string {
  if (typeof name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    throw new ConfigError('secretFromEnv: `name` must be an environment variable name', {
      option: 'name',
    });
  }
  const env = options.env ?? platform.env();
  const direct = env[name];
  const isSet = direct !== undefined && direct.trim() !== '';
  const fromFile = readSecretFile(name, env, undefined, isSet);
  if (fromFile !== undefined) return fromFile;
  if (isSet) return stripQuotes(direct);
  throw new ConfigError(`${name} is not set (nor ${name}_FILE)`, { option: name, envVar: name });
}
