/**
 * The protocol version we announce in `bt_header_*_version`, in bittensor's
 * `version_as_int` form (major·10⁶ + minor·10³ + patch). It matches bittensor 10.2.0, the
 * SDK whose wire we reproduce; anything ≥ 7.2.0 makes Python axons apply the
 * timestamp-window nonce rule our dendrite follows.
 */
export const WIRE_VERSION = 10_002_000;
