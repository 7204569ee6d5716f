import { bundleSchemas, unresolvedRefs } from './openapi';

const a = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:a',
  type: 'object',
  properties: { id: { $ref: '#/$defs/Id' }, n: { $ref: '#/$defs/Num' }, b: { $ref: 'urn:b' } },
  $defs: { Id: { type: 'string' }, Num: { type: 'integer' } },
};
const b = {
  $id: 'urn:b',
  properties: { id: { $ref: '#/$defs/Id' }, n: { $ref: '#/$defs/Num' }, x: { $ref: 'urn:a#/$defs/Num' } },
  $defs: { Id: { type: 'string' }, Num: { type: 'number' } },
};

it('bundles $defs as components, prefixing only names whose schemas differ, and rewrites every $ref', () => {
  const { schemas, ref } = bundleSchemas({ A: a, B: b });
  expect(Object.keys(schemas).sort()).toEqual(['A', 'ANum', 'B', 'BNum', 'Id']);
  expect(schemas.A).toEqual({
    type: 'object',
    properties: {
      id: { $ref: '#/components/schemas/Id' },
      n: { $ref: '#/components/schemas/ANum' },
      b: { $ref: '#/components/schemas/B' },
    },
  });
  expect((schemas.B as { properties: unknown }).properties).toEqual({
    id: { $ref: '#/components/schemas/Id' },
    n: { $ref: '#/components/schemas/BNum' },
    x: { $ref: '#/components/schemas/ANum' },
  });
  expect(ref('B', 'Num')).toEqual({ $ref: '#/components/schemas/BNum' });
  expect(unresolvedRefs({ components: { schemas } })).toEqual([]);
});

it('refuses a $ref it cannot bundle, and names it', () => {
  expect(() => bundleSchemas({ A: { properties: { x: { $ref: 'https://elsewhere/x.json' } } } })).toThrow(
    /https:\/\/elsewhere\/x.json/,
  );
  expect(() => bundleSchemas({ A: { properties: { x: { $ref: '#/properties/y' } } } })).toThrow(/outside/);
  expect(() => bundleSchemas({ A: a, B: b }).ref('A', 'Nope')).toThrow(/no \$defs\/Nope/);
});

it('unresolvedRefs lists refs that point nowhere or outside the document', () => {
  const document = { a: { $ref: '#/b' }, b: {}, c: { $ref: '#/missing' }, d: { $ref: 'urn:x' } };
  expect(unresolvedRefs(document)).toEqual(['#/missing', 'urn:x']);
});
