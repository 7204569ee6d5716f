import { openApiValidator } from './openapi';

const document = {
  openapi: '3.1.0',
  paths: {
    '/things/{id}': {
      get: {
        responses: {
          '200': { content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } },
        },
      },
    },
  },
  components: {
    schemas: {
      Thing: {
        type: 'object',
        required: ['id', 'size'],
        properties: { id: { type: 'string' }, size: { $ref: 'urn:x:size#/$defs/Size' } },
      },
      Size: { $id: 'urn:x:size', $defs: { Size: { type: 'integer', minimum: 0 } } },
    },
  },
};

test('validates a body against the documented schema, $refs across components and $ids included', () => {
  const validator = openApiValidator(document);
  expect(validator.errors('GET', '/things/{id}', 200, { id: 'a', size: 3 })).toEqual([]);
  expect(validator.errors('GET', '/things/{id}', 200, { id: 'a', size: -1 })).toEqual(['/size must be >= 0']);
  expect(validator.errors('GET', '/things/{id}', 404, {})).toEqual([
    'GET /things/{id} documents no 404 response',
  ]);
});
