import { SignalError, type SignalErrorOptions } from '@signal/core';

/**
 * Every refusal @signal/lora makes. The codes are stable so a miner can map them to a
 * synapse status and a caller can branch on them without parsing messages.
 */
export type LoraErrorCode =
  | 'LORA_SAFETENSORS_INVALID'
  | 'LORA_CONFIG_INVALID'
  | 'LORA_UNSUPPORTED'
  | 'LORA_TARGET_MISSING'
  | 'LORA_SHAPE_MISMATCH'
  | 'LORA_RANK_EXCEEDED'
  | 'LORA_ADAPTER_NOT_FOUND'
  | 'LORA_DOWNLOAD_FAILED'
  | 'LORA_WRITE_FAILED'
  | 'LORA_INTEGRITY_MISMATCH'
  | 'LORA_TOO_LARGE'
  | 'LORA_CACHE_FULL'
  | 'LORA_ADAPTER_IN_USE'
  | 'LORA_GRAFT_INVALID'
  | 'LORA_BATCH_INVALID';

export class LoraError extends SignalError<LoraErrorCode> {
  override name = 'LoraError';

  constructor(code: LoraErrorCode, shortMessage: string, options: SignalErrorOptions = {}) {
    super(code, shortMessage, options);
  }
}
