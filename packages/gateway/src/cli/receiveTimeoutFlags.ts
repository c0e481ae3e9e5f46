import { integerIn } from '@signal/chain';
import { Option } from 'commander';
import { DEFAULT_HEADERS_TIMEOUT_MS, DEFAULT_REQUEST_TIMEOUT_MS } from '../server/receiveTimeouts';

/** What `--gateway.headers-timeout` / `--gateway.request-timeout` (or their env forms) said. */
export interface ReceiveTimeoutFlags {
  'gateway.headersTimeout'?: number;
  'gateway.requestTimeout'?: number;
}

/** The largest slow-client limit a flag or a config file may set: one hour. */
export const MAX_RECEIVE_TIMEOUT_MS = 3_600_000;

/**
 * The slow-client flags of every command that serves a gateway (`signal gateway`, and the
 * validator's in-process gateway), with env forms `<envPrefix>_HEADERS_TIMEOUT` and
 * `<envPrefix>_REQUEST_TIMEOUT`. Each takes whole milliseconds in 1..MAX_RECEIVE_TIMEOUT_MS;
 * `startGateway` then checks that the request limit is not below the header limit.
 */
export function receiveTimeoutOptions(envPrefix: string): Option[] {
  return [
    new Option(
      '--gateway.headers-timeout <ms>',
      `milliseconds a client has to send its headers; slower ones get 408 [${DEFAULT_HEADERS_TIMEOUT_MS}]`,
    )
      .env(`${envPrefix}_HEADERS_TIMEOUT`)
      .argParser(integerIn('--gateway.headers-timeout', 1, MAX_RECEIVE_TIMEOUT_MS)),
    new Option(
      '--gateway.request-timeout <ms>',
      `milliseconds a client has to send its whole request, body included; slower ones get 408 [${DEFAULT_REQUEST_TIMEOUT_MS}]`,
    )
      .env(`${envPrefix}_REQUEST_TIMEOUT`)
      .argParser(integerIn('--gateway.request-timeout', 1, MAX_RECEIVE_TIMEOUT_MS)),
  ];
}
