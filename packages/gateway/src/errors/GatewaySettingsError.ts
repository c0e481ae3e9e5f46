import { SignalError } from '@signal/core';

export type GatewaySettingsErrorCode = 'GATEWAY_SETTINGS_INVALID';

/** `startGateway` was given settings it cannot serve with (a timeout that is not positive, say). */
export class GatewaySettingsError extends SignalError<GatewaySettingsErrorCode> {
  override name = 'GatewaySettingsError';
}
