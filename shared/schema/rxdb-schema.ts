import { toJsonSchema } from '@valibot/to-json-schema';
import { COLLECTIONS, type CollectionDefinition, type CollectionName } from './collections.ts';

/** The subset of RxDB's `RxJsonSchema` we produce; kept structural so shared/ needs no rxdb import. */
export interface DerivedRxJsonSchema {
  version: number;
  primaryKey: 'id';
  type: 'object';
  properties: Record<string, Record<string, unknown>>;
  required: string[];
  indexes: (string | string[])[];
  additionalProperties: false;
}

const UUID_LENGTH = 36;
const TIMESTAMP_LENGTH = 30;

/**
 * Conflict-record fields added after replicas were first created (who wrote each value). RxDB
 * refuses to open a collection whose schema changed without a version bump (error DB6), and a
 * bump migrates every stored document (minutes for 10,000 devices in IndexedDB). Replicas
 * validate nothing (the server validates every push), so the replica schema keeps describing
 * conflict records as version 0 did, and existing replicas keep opening.
 */
const CONFLICT_FIELDS_AFTER_VERSION_0 = ['kept', 'other'] as const;

/**
 * Derives the RxDB schema from the valibot schema, the single source of truth. Refinements
 * that JSON Schema cannot express (`v.check`) are left to valibot on the server.
 */
export function toRxJsonSchema(name: CollectionName, indexes: CollectionDefinition['indexes'] = COLLECTIONS[name].indexes): DerivedRxJsonSchema {
  const definition = { ...COLLECTIONS[name], indexes };
  const json = toJsonSchema(definition.schema, { errorMode: 'ignore' }) as {
    properties?: Record<string, Record<string, unknown>>;
    required?: string[];
  };
  const properties = structuredClone(json.properties ?? {});
  const conflictRecord = (properties['conflicts']?.['items'] ?? {}) as { properties?: Record<string, unknown> };
  for (const field of CONFLICT_FIELDS_AFTER_VERSION_0) delete conflictRecord.properties?.[field];
  const required = [...(json.required ?? [])];
  // RxDB needs a bounded primary key and bounded indexed strings.
  const indexed = new Set(definition.indexes.flatMap((index) => (typeof index === 'string' ? [index] : [...index])));
  for (const field of ['id', ...indexed]) {
    const property = properties[field];
    if (!property) throw new Error(`${name}: indexed field ${field} is not in the schema`);
    if (!required.includes(field)) throw new Error(`${name}: indexed field ${field} must be required`);
    if (property['type'] === 'string' && property['maxLength'] === undefined) {
      property['maxLength'] = property['format'] === 'uuid' ? UUID_LENGTH : TIMESTAMP_LENGTH;
    }
    if (property['type'] === 'integer' || property['type'] === 'number') {
      property['multipleOf'] ??= 1;
    }
  }
  return {
    version: 0,
    primaryKey: 'id',
    type: 'object',
    properties,
    required,
    indexes: definition.indexes.map((index) => (typeof index === 'string' ? index : [...index])),
    additionalProperties: false,
  };
}
