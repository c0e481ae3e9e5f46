import { LoraError } from '../errors/LoraError';

/** `name` or `org/name`, letters, digits, `.`, `_`, `-`; never `..`, so it is safe as a path. */
const NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]*(\/[A-Za-z0-9_][A-Za-z0-9._-]*)?$/;

export function assertAdapterName(name: string): void {
  if (!NAME.test(name) || name.split('/').some((part) => part === '..' || part === '.')) {
    throw new LoraError('LORA_ADAPTER_NOT_FOUND', `Invalid adapter name ${JSON.stringify(name)}`, {
      details: 'Use letters, digits, ".", "_" and "-", optionally as "owner/name".',
    });
  }
}
