import { rmSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Authnzerver } from '../../src/index.js';
import {
  ConfigError,
  generateFernetKey,
  resolveConfig,
  type AuthnzerverOptions,
} from '../../src/runtime.js';
import { selfSigned } from '../helpers/tls.js';

const KEY = generateFernetKey();
const URL_ = 'http://127.0.0.1:13431/';

function configError(options: AuthnzerverOptions): ConfigError {
  try {
    resolveConfig(options);
  } catch (error) {
    expect(ConfigError.is(error)).toBe(true);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', () => {
  describe('the environment and explicit options', fromTheEnvironment);
  describe('TLS files and the transport', tlsAndTransport);
  describe('other values', checkedValues);
});

function fromTheEnvironment(): void {
  it('reads AUTHNZERVER_URL and AUTHNZERVER_SECRET when no options are given', () => {
    const config = resolveConfig({
      env: { AUTHNZERVER_URL: ' "http://example.test:1234/" ', AUTHNZERVER_SECRET: `"${KEY}"` },
    });
    expect(config.url.href).toBe('http://example.test:1234/');
    expect(config.summary).toMatchObject({
      urlFrom: 'env',
      secretFrom: 'env',
      transport: 'undici',
    });
  });

  it('lets explicit options win over the environment', () => {
    const config = resolveConfig({
      url: 'http://from-option.test/',
      secret: KEY,
      env: { AUTHNZERVER_URL: 'http://from-env.test/', AUTHNZERVER_SECRET: 'not even a key' },
    });
    expect(config.url.host).toBe('from-option.test');
    expect(config.summary).toMatchObject({ urlFrom: 'option', secretFrom: 'option' });
  });

  it('reads process.env by default', () => {
    const saved = { url: process.env.AUTHNZERVER_URL, secret: process.env.AUTHNZERVER_SECRET };
    process.env.AUTHNZERVER_URL = 'http://process-env.test/';
    process.env.AUTHNZERVER_SECRET = KEY;
    try {
      const client = new Authnzerver();
      expect(client.config.url).toBe('http://process-env.test/');
      void client.close();
    } finally {
      if (saved.url === undefined) delete process.env.AUTHNZERVER_URL;
      else process.env.AUTHNZERVER_URL = saved.url;
      if (saved.secret === undefined) delete process.env.AUTHNZERVER_SECRET;
      else process.env.AUTHNZERVER_SECRET = saved.secret;
    }
  });

  it('a missing url names the option and the variable', () => {
    const error = configError({ secret: KEY, env: {} });
    expect(error.option).toBe('url');
    expect(error.envVar).toBe('AUTHNZERVER_URL');
    expect(error.message).toContain('`url`');
    expect(error.message).toContain('AUTHNZERVER_URL');
  });

  it('a missing secret names the option and the variable', () => {
    const error = configError({ url: URL_, env: { AUTHNZERVER_SECRET: '   ' } });
    expect(error.option).toBe('secret');
    expect(error.envVar).toBe('AUTHNZERVER_SECRET');
    expect(error.message).toContain('AUTHNZERVER_SECRET');
  });

  it.each([
    ['not a URL', 'no url here'],
    ['another scheme', 'ftp://127.0.0.1/'],
    ['credentials in it', 'http://user:pass@127.0.0.1/'],
  ])('a url with %s is refused, naming where it came from', (_, url) => {
    const fromOption = configError({ url, secret: KEY, env: {} });
    expect(fromOption.option).toBe('url');
    expect(fromOption.message).toContain('`url` option');
    expect(fromOption.message).not.toContain('user:pass');
    const fromEnv = configError({ secret: KEY, env: { AUTHNZERVER_URL: url } });
    expect(fromEnv.message).toContain('AUTHNZERVER_URL');
  });

  it.each([
    ['a short string', 'c2hvcnQ='],
    ['a password', 'hunter2-is-my-password-and-it-is-long-enough!'],
    ['a key with a character changed', `${KEY.slice(0, 5)}*${KEY.slice(6)}`],
  ])('a malformed secret (%s) is refused without echoing it', (_, secret) => {
    for (const options of [
      { url: URL_, secret, env: {} },
      { url: URL_, env: { AUTHNZERVER_SECRET: secret } },
    ]) {
      const error = configError(options);
      expect(error.option).toBe('secret');
      expect(error.envVar).toBe('AUTHNZERVER_SECRET');
      expect(error.message).toContain('not a valid Fernet key');
      expect(error.message).not.toContain(secret);
      expect(error.message).not.toContain(secret.slice(0, 6));
      expect(String(error.cause)).not.toContain(secret.slice(0, 6));
    }
  });
}

function tlsAndTransport(): void {
  it('TLS files that cannot be read are refused at construction, naming the option and the variable', () => {
    const error = configError({
      url: 'https://127.0.0.1/',
      secret: KEY,
      env: {
        AUTHNZERVER_TLS_CERTFILE: '/nonexistent/cert.pem',
        AUTHNZERVER_TLS_KEYFILE: '/nonexistent/key.pem',
      },
    });
    expect(error.option).toBe('tlsCertFile');
    expect(error.envVar).toBe('AUTHNZERVER_TLS_CERTFILE');
    expect(error.message).toContain('ENOENT');
    const ca = configError({
      url: 'https://127.0.0.1/',
      secret: KEY,
      tlsCaFile: '/nonexistent/ca.pem',
      env: {},
    });
    expect(ca.option).toBe('tlsCaFile');
  });

  it('TLS files come from the options or the AUTHNZERVER_TLS_* variables', () => {
    const cert = selfSigned();
    try {
      const fromEnv = resolveConfig({
        url: 'https://127.0.0.1/',
        secret: KEY,
        env: {
          AUTHNZERVER_TLS_CERTFILE: cert.certFile,
          AUTHNZERVER_TLS_KEYFILE: cert.keyFile,
          AUTHNZERVER_TLS_CAFILE: cert.certFile,
        },
      });
      expect(fromEnv.summary.tls).toEqual({
        cert: cert.certFile,
        key: cert.keyFile,
        ca: cert.certFile,
      });
      void fromEnv.transport.close();
      const half = configError({
        url: 'https://127.0.0.1/',
        secret: KEY,
        tlsCertFile: cert.certFile,
        env: {},
      });
      expect(half.option).toBe('tlsKeyFile');
      const plain = configError({ url: URL_, secret: KEY, tlsCaFile: cert.certFile, env: {} });
      expect(plain.message).toContain('https');
    } finally {
      cert.remove();
    }
  });

  it('a fetch option selects the fetch transport; with TLS files it is refused', () => {
    const config = resolveConfig({ url: URL_, secret: KEY, fetch: globalThis.fetch, env: {} });
    expect(config.transport.name).toBe('fetch');
    expect(
      configError({ url: URL_, secret: KEY, fetch: globalThis.fetch, transport: 'undici', env: {} })
        .option,
    ).toBe('fetch');
    const file = `${process.cwd()}/.tmp-ca-${process.pid}.pem`;
    writeFileSync(file, 'x');
    try {
      expect(
        configError({
          url: 'https://127.0.0.1/',
          secret: KEY,
          transport: 'fetch',
          tlsCaFile: file,
          env: {},
        }).option,
      ).toBe('tlsCaFile');
    } finally {
      rmSync(file);
    }
  });
}

function checkedValues(): void {
  it('timeouts and sizes must be positive numbers', () => {
    expect(configError({ url: URL_, secret: KEY, timeouts: { request: 0 }, env: {} }).option).toBe(
      'timeouts.request',
    );
    expect(configError({ url: URL_, secret: KEY, timeouts: { login: -1 }, env: {} }).option).toBe(
      'timeouts.login',
    );
    expect(
      configError({ url: URL_, secret: KEY, maxResponseBytes: Number.NaN, env: {} }).option,
    ).toBe('maxResponseBytes');
    expect(resolveConfig({ url: URL_, secret: KEY, env: {} }).timeouts).toEqual({
      connect: 5000,
      request: 5000,
      login: 45000,
    });
  });

  it('a bad retry option is a ConfigError naming `retry`', () => {
    const error = configError({ url: URL_, secret: KEY, retry: { retries: -1 }, env: {} });
    expect([error.option, error.message]).toEqual([
      'retry',
      '`retry.retries` must be a non-negative integer',
    ]);
  });

  it('the summary never holds the secret', () => {
    const config = resolveConfig({ url: URL_, secret: KEY, env: {} });
    expect(JSON.stringify(config.summary)).not.toContain(KEY);
    expect(JSON.stringify(config.summary)).not.toContain(KEY.slice(0, 10));
  });
}
