// Contract: the schema registry the tests get speaks the Confluent API the way the event codec needs:
// Avro schemas registered per subject, fetched by id, the wire format, and BACKWARD compatibility enforced.
import { COMPATIBILITY, SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { schemaRegistryUrl, uniqueName } from './index';

const registry = new SchemaRegistry({ host: schemaRegistryUrl() });

const record = (fields: object[]): string =>
  JSON.stringify({ type: 'record', name: 'ContractEvent', namespace: 'drive_deposits.contract', fields });

const v1 = record([
  { name: 'portfolio_uuid', type: 'string' },
  { name: 'amount', type: 'string' },
]);
// Compatible under BACKWARD: the new field has a default, so v2 readers can read v1 data.
const v2 = record([
  { name: 'portfolio_uuid', type: 'string' },
  { name: 'amount', type: 'string' },
  { name: 'currency', type: 'string', default: 'USD' },
]);
// Incompatible under BACKWARD: a new field without a default cannot be filled from v1 data.
const v3 = record([
  { name: 'portfolio_uuid', type: 'string' },
  { name: 'amount', type: 'string' },
  { name: 'currency', type: 'string', default: 'USD' },
  { name: 'bank', type: 'string' },
]);

async function getJson(path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${schemaRegistryUrl()}${path}`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

test('registers an Avro schema under a subject, returns it by id, and encodes in the Confluent wire format', async () => {
  const subject = `${uniqueName('contract')}-value`;
  const { id } = await registry.register(
    { type: SchemaType.AVRO, schema: v1 },
    { subject, compatibility: COMPATIBILITY.BACKWARD },
  );
  expect(id).toBeGreaterThan(0);

  // Straight from the server, not from the client's cache.
  const byId = await getJson(`/schemas/ids/${id}`);
  expect(byId.status).toBe(200);
  expect(JSON.parse(byId.body.schema as string)).toEqual(JSON.parse(v1));
  expect(await registry.getLatestSchemaId(subject)).toBe(id);

  const payload = { portfolio_uuid: '0b7e6f1c-0000-4000-8000-000000000001', amount: '1000.00' };
  const encoded = await registry.encode(id, payload);
  expect(encoded[0]).toBe(0); // magic byte
  expect(encoded.readInt32BE(1)).toBe(id); // schema id, big-endian
  // A fresh client has nothing cached: decoding must fetch the schema by the id in the message.
  expect(await new SchemaRegistry({ host: schemaRegistryUrl() }).decode(encoded)).toEqual(payload);
});

test('BACKWARD compatibility: accepts a compatible new version, rejects an incompatible one', async () => {
  const subject = `${uniqueName('contract')}-value`;
  const first = await registry.register(
    { type: SchemaType.AVRO, schema: v1 },
    { subject, compatibility: COMPATIBILITY.BACKWARD },
  );
  expect((await getJson(`/config/${subject}`)).body.compatibilityLevel).toBe('BACKWARD');

  const second = await registry.register(
    { type: SchemaType.AVRO, schema: v2 },
    { subject, compatibility: COMPATIBILITY.BACKWARD },
  );
  expect(second.id).not.toBe(first.id);

  await expect(
    registry.register(
      { type: SchemaType.AVRO, schema: v3 },
      { subject, compatibility: COMPATIBILITY.BACKWARD },
    ),
  ).rejects.toMatchObject({ status: 409 });

  const versions = await fetch(`${schemaRegistryUrl()}/subjects/${subject}/versions`).then((r) => r.json());
  expect(versions).toEqual([1, 2]);
  expect(await registry.getLatestSchemaId(subject)).toBe(second.id);
});
