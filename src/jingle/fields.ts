// Protocol mapping as data (STYLE.md point 2): a table from attribute to model
// field with a converter, read and written by the two generic functions below.
import { badRequest } from './errors.ts';
import type { Parameter } from './model.ts';
import type { Attrs, Element } from './xml.ts';

/** Longest attribute value accepted from the network. */
export const MAX_ATTRIBUTE_LENGTH = 4096;

export interface Converter<V> {
  parse(raw: string, attr: string): V;
  format(value: V): string;
}

export interface Field<T> {
  attr: string;
  key: keyof T & string;
  type: Converter<never> | Converter<unknown>;
  required?: boolean;
}

export const text: Converter<string> = {
  parse: (raw) => raw.trim(),
  format: (value) => value,
};

function integer(min: number, max: number): Converter<number> {
  return {
    parse(raw, attr) {
      const trimmed = raw.trim();
      if (!/^-?\d+$/.test(trimmed)) throw badRequest(`${attr}="${raw}" is not an integer`);
      const value = Number(trimmed);
      if (value < min || value > max) throw badRequest(`${attr}=${value} is out of range`);
      return value;
    },
    format: (value) => String(value),
  };
}

export const uint8 = integer(0, 255);
export const uint16 = integer(0, 65535);
export const uint32 = integer(0, 4294967295);
export const uint = integer(0, Number.MAX_SAFE_INTEGER);

export function oneOf<V extends string>(values: readonly V[]): Converter<V> {
  return {
    parse(raw, attr) {
      const value = raw.trim();
      if (!(values as readonly string[]).includes(value)) throw badRequest(`${attr}="${raw}" is not one of ${values.join(', ')}`);
      return value as V;
    },
    format: (value) => value,
  };
}

/** Reads the attributes a table names; a missing required one is a bad-request. */
export function readFields<T>(el: Element, fields: readonly Field<T>[]): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const raw = el.attrs[field.attr];
    if (raw === undefined || raw === '') {
      if (field.required) throw badRequest(`<${el.name}/> lacks ${field.attr}`);
      continue;
    }
    if (raw.length > MAX_ATTRIBUTE_LENGTH) throw badRequest(`${field.attr} of <${el.name}/> is too long`);
    out[field.key] = (field.type as Converter<unknown>).parse(raw, field.attr);
  }
  return out as Partial<T>;
}

/** Writes the fields a table names that the model holds. */
export function writeFields<T>(model: T, fields: readonly Field<T>[]): Attrs {
  const attrs: Attrs = {};
  for (const field of fields) {
    const value = model[field.key];
    if (value === undefined || value === null) continue;
    attrs[field.attr] = (field.type as Converter<unknown>).format(value);
  }
  return attrs;
}

/** Reads <parameter name value/> children (XEP-0167 and XEP-0339 share the shape). */
export function readParameters(el: Element, xmlns?: string): Parameter[] {
  return el.getChildren('parameter', xmlns).map((p) => {
    const { name, value } = readFields(p, PARAMETER_FIELDS);
    if (!name) throw badRequest('<parameter/> lacks name');
    return value === undefined ? { name } : { name, value };
  });
}

export const PARAMETER_FIELDS: readonly Field<Parameter>[] = [
  { attr: 'name', key: 'name', type: text, required: true },
  { attr: 'value', key: 'value', type: text },
];
