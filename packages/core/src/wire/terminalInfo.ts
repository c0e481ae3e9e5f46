import { z } from 'zod';
import { type PyType, py } from './pyType';

/**
 * bittensor's `TerminalInfo`: what one end of a call says about itself (the dendrite in
 * requests, the axon in responses). Every field is optional, as in Python. The nonce is
 * nanoseconds since the epoch, so it is a bigint.
 */
export const TerminalInfoSchema = z.object({
  status_code: z.number().int().nullish(),
  status_message: z.string().nullish(),
  process_time: z.number().nullish(),
  ip: z.string().nullish(),
  port: z.number().int().nullish(),
  version: z.number().int().nullish(),
  nonce: z.bigint().nullish(),
  uuid: z.string().nullish(),
  hotkey: z.string().nullish(),
  signature: z.string().nullish(),
});

export type TerminalInfo = z.infer<typeof TerminalInfoSchema>;

/** Field order matters: headers and `model_dump()` both follow it. */
export const TERMINAL_INFO_FIELDS = [
  ['status_code', py.optional(py.int)],
  ['status_message', py.optional(py.str)],
  ['process_time', py.optional(py.float)],
  ['ip', py.optional(py.str)],
  ['port', py.optional(py.int)],
  ['version', py.optional(py.int)],
  ['nonce', py.optional(py.int)],
  ['uuid', py.optional(py.str)],
  ['hotkey', py.optional(py.str)],
  ['signature', py.optional(py.str)],
] as const satisfies ReadonlyArray<readonly [keyof TerminalInfo, PyType]>;

export type TerminalInfoKey = (typeof TERMINAL_INFO_FIELDS)[number][0];

export const TERMINAL_INFO_TYPE: PyType = py.model(TERMINAL_INFO_FIELDS);

/**
 * The fields every `Synapse` has before its own, in `model_dump()` order. Python sends
 * them in every body; our axon reads the dendrite and axon from the signed headers instead.
 */
export const SYNAPSE_BASE_FIELDS = [
  ['name', py.optional(py.str)],
  ['timeout', py.optional(py.float)],
  ['total_size', py.optional(py.int)],
  ['header_size', py.optional(py.int)],
  ['dendrite', py.optional(TERMINAL_INFO_TYPE)],
  ['axon', py.optional(TERMINAL_INFO_TYPE)],
  ['computed_body_hash', py.optional(py.str)],
] as const satisfies ReadonlyArray<readonly [string, PyType]>;

/** bittensor's default `Synapse.timeout`, in seconds. */
export const DEFAULT_SYNAPSE_TIMEOUT = 12;
