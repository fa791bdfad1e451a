import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A certificate and its key, as PEM files. */
export interface KeyPair {
  readonly certFile: string;
  readonly keyFile: string;
}

/** A throw-away public key infrastructure for the TLS tests, made with the openssl CLI in a temp dir. */
export interface TestPki {
  readonly dir: string;
  /** The CA the client trusts (`tlsCaFile`) and nginx checks client certificates against. */
  readonly caFile: string;
  /** The server certificate for 127.0.0.1 and localhost, signed by the CA. */
  readonly server: KeyPair;
  /** A valid client certificate, signed by the CA. */
  readonly client: KeyPair;
  /** A client certificate signed by another CA. */
  readonly otherCaClient: KeyPair;
  /** A client certificate signed by the CA whose validity ended in 2020. */
  readonly expiredClient: KeyPair;
  /** A server certificate for 127.0.0.1 and localhost signed by the other CA. */
  readonly otherCaServer: KeyPair;
  /** The other CA's certificate (for tests that need to name it). */
  readonly otherCaFile: string;
  /** Deletes the directory and everything in it. */
  remove(): void;
}

/**
 * One configuration file for every openssl command: `openssl req` for keys and requests, `openssl ca` for
 * signing (it takes -startdate/-enddate, which Debian's openssl 3.0 `x509 -req` does not). Written by us so that
 * the system's openssl.cnf cannot change what is made.
 */
function opensslConfig(caDir: string): string {
  return `# Throw-away test PKI (test/helpers/pki.ts)
[ req ]
distinguished_name = req_dn
prompt = no
[ req_dn ]
CN = unused

[ ca ]
default_ca = test_ca
[ test_ca ]
dir = ${caDir}
database = ${caDir}/index.txt
new_certs_dir = ${caDir}/issued
serial = ${caDir}/serial
default_md = sha256
default_days = 2
policy = policy_any
unique_subject = no
copy_extensions = none
email_in_dn = no
[ policy_any ]
commonName = supplied

[ ca_ext ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash

[ server_ext ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1, DNS:localhost
authorityKeyIdentifier = keyid

[ client_ext ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
authorityKeyIdentifier = keyid
`;
}

function openssl(args: readonly string[]): void {
  try {
    execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString('utf8').trim() ?? '';
    throw new Error(`openssl ${args[0] ?? ''} failed: ${stderr || String(error)}`, {
      cause: error,
    });
  }
}

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

interface Ca {
  readonly dir: string;
  readonly config: string;
  readonly certFile: string;
  readonly keyFile: string;
}

function makeCa(root: string, name: string, commonName: string): Ca {
  const dir = join(root, name);
  mkdirSync(join(dir, 'issued'), { recursive: true });
  writeFileSync(join(dir, 'index.txt'), '');
  writeFileSync(join(dir, 'serial'), '1000\n');
  const config = join(dir, 'openssl.cnf');
  writeFileSync(config, opensslConfig(dir));
  const certFile = join(dir, 'ca.pem');
  const keyFile = join(dir, 'ca.key');
  openssl([
    'req',
    '-config',
    config,
    '-x509',
    ...EC_KEY,
    '-keyout',
    keyFile,
    '-out',
    certFile,
    '-days',
    '2',
    '-subj',
    `/CN=${commonName}`,
    '-extensions',
    'ca_ext',
  ]);
  return { dir, config, certFile, keyFile };
}

function issue(
  ca: Ca,
  root: string,
  name: string,
  extensions: 'server_ext' | 'client_ext',
  validity: { start: string; end: string } | undefined,
): KeyPair {
  const keyFile = join(root, `${name}.key`);
  const csrFile = join(root, `${name}.csr`);
  const certFile = join(root, `${name}.pem`);
  openssl([
    'req',
    '-config',
    ca.config,
    '-new',
    ...EC_KEY,
    '-keyout',
    keyFile,
    '-out',
    csrFile,
    '-subj',
    `/CN=${name}`,
  ]);
  openssl([
    'ca',
    '-batch',
    '-notext',
    '-config',
    ca.config,
    '-cert',
    ca.certFile,
    '-keyfile',
    ca.keyFile,
    '-extensions',
    extensions,
    ...(validity === undefined
      ? ['-days', '2']
      : ['-startdate', validity.start, '-enddate', validity.end]),
    '-in',
    csrFile,
    '-out',
    certFile,
  ]);
  return { certFile, keyFile };
}

/**
 * Makes a CA, a server certificate for 127.0.0.1 (SAN IP:127.0.0.1, DNS:localhost), a valid client certificate,
 * an expired client certificate (both signed by the CA), and from another CA a client and a server certificate.
 * EC P-256 keys, so that it takes well under a second. Call `remove()` when done.
 */
export function makeTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'authnzerver-pki-'));
  try {
    const ca = makeCa(dir, 'ca', 'authnzerver test CA');
    const other = makeCa(dir, 'other-ca', 'some other CA');
    return {
      dir,
      caFile: ca.certFile,
      otherCaFile: other.certFile,
      server: issue(ca, dir, 'server', 'server_ext', undefined),
      client: issue(ca, dir, 'client', 'client_ext', undefined),
      expiredClient: issue(ca, dir, 'expired-client', 'client_ext', {
        start: '20200101000000Z',
        end: '20200102000000Z',
      }),
      otherCaClient: issue(other, dir, 'other-ca-client', 'client_ext', undefined),
      otherCaServer: issue(other, dir, 'other-ca-server', 'server_ext', undefined),
      remove() {
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
