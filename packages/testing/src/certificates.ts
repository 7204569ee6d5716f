// A throw-away CA and a server certificate for 127.0.0.1 signed by it, made with openssl, for the
// tests of TLS connections (a private Kafka's SASL_SSL listener, a private FerretDB's TLS one).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TestCertificates {
  /** the CA's certificate: what a client must trust (KAFKA_SSL_CA_FILE, MONGO_TLS_CA_FILE) */
  caFile: string;
  /** the server's certificate (SAN IP:127.0.0.1, DNS:localhost) and its PKCS#8 key */
  certFile: string;
  keyFile: string;
  /** key then certificate in one PEM file: Kafka's PEM key store */
  keyStore: string;
}

/** Writes them into `dir`; fails, saying so, when openssl is missing. */
export function makeTestCertificates(dir: string): TestCertificates {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const newKey = ['-newkey', 'rsa:2048', '-nodes'];
  try {
    openssl(
      'req',
      '-x509',
      ...newKey,
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
      '-days',
      '2',
      '-subj',
      '/CN=dd-test-ca',
    );
    openssl('req', ...newKey, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
    writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
    openssl(
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'server.crt',
      '-days',
      '2',
      '-extfile',
      'san.ext',
    );
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? String(error);
    throw new Error(`the test's TLS certificates need openssl: ${stderr}`);
  }
  const keyStore = join(dir, 'server-keystore.pem');
  const pem = (file: string) => readFileSync(join(dir, file), 'utf8');
  writeFileSync(keyStore, pem('server.key') + pem('server.crt'));
  return {
    caFile: join(dir, 'ca.pem'),
    certFile: join(dir, 'server.crt'),
    keyFile: join(dir, 'server.key'),
    keyStore,
  };
}
