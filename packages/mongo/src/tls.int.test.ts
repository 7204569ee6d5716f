// MONGO_TLS and MONGO_TLS_CA_FILE against a real TLS listener: a private FerretDB (the project's
// build, infra/infra.sh) with a certificate for 127.0.0.1 signed by a CA made for this test. The
// shared test server is not touched. Fails, saying so, without the FerretDB build or openssl.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@drive-deposits/logging';
import {
  freePort,
  makeTestCertificates,
  startFerretDb,
  type PrivateFerretDb,
  type TestCertificates,
} from '@drive-deposits/testing';
import { connectMongo } from './connection';

const logger = createLogger({ service: 'mongo-tls-test', level: 'silent' });
const dir = mkdtempSync(join(tmpdir(), 'dd-mongo-tls-'));
let server: PrivateFerretDb | undefined;
let certificates: TestCertificates;
let tlsUrl: string;

beforeAll(async () => {
  certificates = makeTestCertificates(dir);
  mkdirSync(join(dir, 'data'));
  const tlsPort = await freePort();
  server = await startFerretDb(await freePort(), join(dir, 'data'), 20_000, {
    port: tlsPort,
    certFile: certificates.certFile,
    keyFile: certificates.keyFile,
  });
  tlsUrl = `mongodb://127.0.0.1:${tlsPort}/`;
}, 300_000); // the first call may build FerretDB (Go caches)

afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

it('connects over TLS trusting the CA of MONGO_TLS_CA_FILE, and reads its writes', async () => {
  const connection = await connectMongo(
    { url: tlsUrl, db: 'tls_test', tls: true, tlsCaFile: certificates.caFile },
    logger,
  );
  try {
    await connection.ping();
    await connection.db.collection('c').insertOne({ _id: 'over-tls' } as never);
    expect(await connection.db.collection('c').countDocuments({ _id: 'over-tls' } as never)).toBe(1);
  } finally {
    await connection.close();
  }
});

it('leaves TLS to the URL when MONGO_TLS is false (tls=true&tlsCAFile=… in MONGO_URL)', async () => {
  const url = `${tlsUrl}?tls=true&tlsCAFile=${encodeURIComponent(certificates.caFile)}`;
  const connection = await connectMongo({ url, db: 'tls_test', tls: false }, logger);
  await connection.ping();
  await connection.close();
});

it('refuses a server whose certificate it cannot verify (MONGO_TLS without the test CA)', async () => {
  await expect(connectMongo({ url: tlsUrl, db: 'tls_test', tls: true }, logger)).rejects.toThrow(
    /self-signed certificate|unable to verify|certificate/i,
  );
});
