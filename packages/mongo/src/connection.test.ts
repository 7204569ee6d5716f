import { mongoClientOptions } from './connection';

describe('mongoClientOptions', () => {
  it('leaves TLS to the URL unless MONGO_TLS is true', () => {
    const plain = mongoClientOptions({ url: 'mongodb://h', db: 'd', tls: false });
    expect(plain).not.toHaveProperty('tls');
    expect(plain).toMatchObject({ serverSelectionTimeoutMS: 3000 });
  });

  it('turns TLS on with the CA of MONGO_TLS_CA_FILE', () => {
    expect(mongoClientOptions({ url: 'mongodb://h', db: 'd', tls: true }, { appName: 'x' })).toMatchObject({
      tls: true,
      appName: 'x',
    });
    expect(
      mongoClientOptions({ url: 'mongodb://h', db: 'd', tls: true, tlsCaFile: '/ca.pem' }),
    ).toMatchObject({
      tls: true,
      tlsCAFile: '/ca.pem',
    });
  });
});
