import type { z } from 'zod';
import type { PyType } from '../wire/pyType';

/**
 * One synapse, declared once. The zod schema *is* the wire schema (snake_case, the
 * synapse's own fields, request and response together, as Bittensor sends the whole
 * object both ways); the rest is what the wire needs to match Python byte for byte.
 */
export interface SynapseSpec<Schema extends z.ZodObject = z.ZodObject> {
  /** The class name, which is also the HTTP route: `POST /<name>`. */
  readonly name: string;
  readonly schema: Schema;
  /** The Python type of every field in `schema`, in declaration order. */
  readonly fields: ReadonlyArray<readonly [name: string, type: PyType]>;
  /** Fields with no default in Python: sent as `bt_header_input_obj_<field>` headers. */
  readonly requiredFields: readonly string[];
  /** Fields covered by the body hash, in declaration order. */
  readonly requiredHashFields: readonly string[];
  /** Fields the axon's forward fills in; everything else is the request. */
  readonly responseFields: readonly string[];
  /** Whether the axon may answer with a stream of chunks before the final synapse. */
  readonly streaming: boolean;
}

export type SynapseOf<Spec extends SynapseSpec> = z.infer<Spec['schema']>;

/** What a caller may pass to build a synapse: fields with defaults may be left out. */
export type SynapseInputOf<Spec extends SynapseSpec> = z.input<Spec['schema']>;
