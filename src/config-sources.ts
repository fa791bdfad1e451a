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
  const file = env.AUTHNZERVER_SECRET_FILE;
  if (file === undefined || file.trim() === '' || picked?.from === 'option') return picked;
  const details = { option: 'secret', envVar: 'AUTHNZERVER_SECRET_FILE' };
  if (picked !== undefined) {
    throw new ConfigError(
      'both AUTHNZERVER_SECRET and AUTHNZERVER_SECRET_FILE are set: set one of them',
      details,
    );
  }
  const path = stripQuotes(file);
  if (platform.tls === undefined) {
    throw new ConfigError(
      `AUTHNZERVER_SECRET_FILE is set, but ${platform.label} cannot read files: pass the \`secret\` option`,
      details,
    );
  }
  let text: string;
  try {
    text = new TextDecoder().decode(platform.tls.readFile(path));
  } catch (cause) {
    const reason = (cause as { code?: string }).code ?? 'unreadable';
    throw new ConfigError(
      `AUTHNZERVER_SECRET_FILE names a file that cannot be read (${reason}): ${path}`,
      { ...details, cause },
    );
  }
  // A mounted secret often ends with a newline; a key list may span lines (one key per line).
  const value = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .join(',');
  if (value === '') {
    throw new ConfigError(`AUTHNZERVER_SECRET_FILE names an empty file: ${path}`, details);
  }
  return { value, from: 'file' };
}
