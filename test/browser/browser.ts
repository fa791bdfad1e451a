/**
 * The real browser for the browser tests: Debian's chromium (`apt-get install chromium`) driven by playwright-core
 * through its executable path. Headless, with a fresh temporary profile, and without anything that would reach
 * out to the network by itself (updates, sync, background requests), so that a run is the same on every machine.
 *
 * When chromium is missing, {@link findChromium} says why, and the test skips with that reason printed, unless
 * `AUTHNZERVER_REQUIRE_BROWSER` is set (CI sets it): then a missing browser fails the run.
 */
import { X509Certificate, createHash } from 'node:crypto';
import { accessSync, constants, readFileSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Where Debian puts chromium, and where other distributions do; `AUTHNZERVER_CHROMIUM` overrides them. */
const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** The path of an executable chromium, or the reason why there is none. */
export type ChromiumLookup =
  | { readonly found: true; readonly path: string }
  | { readonly found: false; readonly reason: string };

/** Looks for chromium: `AUTHNZERVER_CHROMIUM` when set, else the usual places. */
export function findChromium(): ChromiumLookup {
  const override = process.env.AUTHNZERVER_CHROMIUM;
  const candidates = override !== undefined && override !== '' ? [override] : CANDIDATES;
  for (const path of candidates) {
    try {
      accessSync(path, constants.X_OK);
      return { found: true, path };
    } catch {
      // not there, or not executable: try the next one
    }
  }
  return {
    found: false,
    reason: `no chromium at ${candidates.join(' or ')} (install it with \`apt-get install chromium\`, or set AUTHNZERVER_CHROMIUM)`,
  };
}

/** Whether the run must have a browser (CI): then a missing chromium fails instead of skipping. */
export function browserRequired(): boolean {
  const value = process.env.AUTHNZERVER_REQUIRE_BROWSER;
  return value !== undefined && value !== '' && value !== '0';
}

/**
 * The base64 SHA-256 of a certificate's SubjectPublicKeyInfo, as chromium's
 * `--ignore-certificate-errors-spki-list` wants it: chromium then accepts that one key (and no other) even though
 * no CA it trusts signed it. This is narrower than ignoring every certificate error.
 */
export function spkiHash(certPem: string): string {
  const der = new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('base64');
}

/** Options of {@link launchBrowser}. */
export interface LaunchOptions {
  /** The chromium executable. */
  readonly executablePath: string;
  /** PEM files of server certificates whose keys the browser accepts over https. */
  readonly trustCertFiles?: readonly string[];
}

/**
 * Starts headless chromium. Playwright gives it a fresh temporary profile (`--user-data-dir`) and deletes it on
 * close; each `browser.newContext()` is then a separate cookie jar, so the tests do not share cookies (cookies
 * ignore ports, and every app here is on 127.0.0.1).
 */
export async function launchBrowser(options: LaunchOptions): Promise<Browser> {
  const spki = (options.trustCertFiles ?? []).map((file) => spkiHash(readFileSync(file, 'utf8')));
  const args = [
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
    '--disable-gpu',
    ...(spki.length > 0 ? [`--ignore-certificate-errors-spki-list=${spki.join(',')}`] : []),
  ];
  // Chromium's sandbox cannot run as root (as in CI containers).
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  return chromium.launch({
    executablePath: options.executablePath,
    headless: true,
    args,
    // A cold start on a busy machine can be slow.
    timeout: 120_000,
  });
}
