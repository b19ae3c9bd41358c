import { describe, expect, it } from 'vitest';
import { COLLECTION_NAMES } from './collections.ts';
import { toRxJsonSchema } from './rxdb-schema.ts';

describe('toRxJsonSchema', () => {
  it.each(COLLECTION_NAMES)('derives a bounded primary key and required base fields for %s', (name) => {
    const schema = toRxJsonSchema(name);
    expect(schema.primaryKey).toBe('id');
    expect(schema.properties['id']).toMatchObject({ type: 'string', maxLength: 36 });
    expect(schema.required).toEqual(expect.arrayContaining(['id', 'orgId', 'updatedAt']));
    expect(schema.properties['conflicts']).toMatchObject({ type: 'array' });
  });

  it('follows the valibot schema, so a field added there appears here', () => {
    const device = toRxJsonSchema('devices');
    expect(device.properties['kind']).toMatchObject({ type: 'string', enum: expect.arrayContaining(['pos', 'printer']) });
    expect(device.properties['hostname']).toMatchObject({ maxLength: 253, minLength: 1 });
    expect(device.required).toContain('siteId');
    expect(device.required).not.toContain('model');
  });

  it('bounds indexed fields as RxDB requires', () => {
    expect(toRxJsonSchema('devices').properties['siteId']).toMatchObject({ type: 'string', maxLength: 36 });
  });

  it('indexes only what client queries select on, or the indexes it is given', () => {
    expect(toRxJsonSchema('devices').indexes).toEqual(['siteId']);
    expect(toRxJsonSchema('risks').indexes).toEqual([]);
    expect(toRxJsonSchema('risks', ['status', 'score']).properties['score']).toMatchObject({ minimum: 1, maximum: 25, multipleOf: 1 });
  });

  it.each(COLLECTION_NAMES)('describes conflict records of %s exactly as replicas were created with them, so existing replicas still open', (name) => {
    // RxDB refuses a collection whose stored schema differs (DB6): this shape must not change
    // without a schema version and a migration.
    expect(toRxJsonSchema(name).properties['conflicts']).toEqual({
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: { type: 'string', minLength: 1, maxLength: 128 },
          path: { type: 'string', minLength: 1, maxLength: 512 },
          keptValue: {},
          otherValue: {},
          recordedAt: { type: 'string', format: 'date-time' },
        },
        required: ['id', 'path', 'keptValue', 'otherValue', 'recordedAt'],
        additionalProperties: false,
      },
      maxItems: 200,
    });
  });
});
