import { SignalError } from '@signal/core';

export type GatewayCliErrorCode = 'GATEWAY_CLI_USAGE' | 'GATEWAY_HOTKEY_UNREGISTERED';

/** A `signal gateway` invocation that cannot run: a missing setting, an unusable hotkey. */
export class GatewayCliError extends SignalError<GatewayCliErrorCode> {
  override name = 'GatewayCliError';
}
