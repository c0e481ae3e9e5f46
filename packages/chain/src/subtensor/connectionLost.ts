/**
 * Whether an error from @polkadot/api's websocket provider means the link went down: it
 * rejects every request in flight with "disconnected from <url>: 1006:: …" when the socket
 * closes, and refuses new ones with "WebSocket is not connected" until it is back.
 */
export function isConnectionLost(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /disconnected from \S+: \d+|WebSocket is not connected/.test(message);
}
