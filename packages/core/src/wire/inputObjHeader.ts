import type { PyValue } from './pyValue';

/**
 * `json.dumps(type(value)())` for the `bt_header_input_obj_<field>` header: the JSON of the
 * empty value of the field's runtime class. `model_dump()` has already turned nested
 * models into dicts, so they send `{}`. None values send no header at all.
 */
export function emptyValueJson(value: PyValue): string | undefined {
  switch (value.t) {
    case 'str':
      return '""';
    case 'int':
      return '0';
    case 'float':
      return '0.0';
    case 'bool':
      return 'false';
    case 'list':
      return '[]';
    case 'dict':
      return '{}';
    case 'none':
      return undefined;
  }
}

const HEADER_VALUES = new Map<PyValue['t'], string | undefined>();

/** The header value: base64 of that JSON text (ASCII, so bytes equal characters). */
export function inputObjHeaderValue(value: PyValue): string | undefined {
  // One value per kind, encoded once: every answer sends these headers.
  if (HEADER_VALUES.has(value.t)) return HEADER_VALUES.get(value.t);
  const json = emptyValueJson(value);
  const encoded = json === undefined ? undefined : Buffer.from(json, 'utf8').toString('base64');
  HEADER_VALUES.set(value.t, encoded);
  return encoded;
}
