import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { compactToU8a, hexToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import { type WebSocket, WebSocketServer } from 'ws';
import type { RecordedCall, RpcRecording } from './recording';

export interface ReplayServerOptions {
  recording: RpcRecording;
  /** The runtime metadata v15 as hex (the bare `meta…` bytes). */
  metadataHex: string;
  /** Port to bind on 127.0.0.1; 0 (the default) lets the OS choose. */
  port?: number;
  /**
   * Fault injection: called with every request before it is answered. Returning `'drop'`
   * destroys that client's TCP connection instead of answering, as a crashed node or a cut
   * link does (no close frame, nothing more on the wire).
   */
  fault?: (call: ReceivedCall) => 'drop' | undefined;
  /**
   * Executes a submitted extrinsic (its 0x-hex): returns the hash of the block it lands in,
   * and the node reports it `ready` then `inBlock` there to a watching client. Without it
   * the node refuses every submission (the recording has no future to replay).
   */
  include?: (extrinsicHex: string) => string;
}

/** A request the node received. */
export interface ReceivedCall {
  method: string;
  params: readonly unknown[];
}

export interface ReplayServer {
  url: string;
  port: number;
  /** Every method the clients called, in order (handy to assert what a read touched). */
  readonly requests: readonly string[];
  /** The same calls with their params, e.g. to decode an extrinsic a client submitted. */
  readonly received: readonly ReceivedCall[];
  /** WebSocket connections the node has accepted so far. */
  readonly connections: number;
  /** Adds answers, or replaces those with the same method and params (a chain moving on). */
  record(calls: readonly RecordedCall[]): void;
  /** Makes `hash` (with its header) the head that unpinned reads and new subscriptions see. */
  setHead(hash: string, header: unknown): void;
  /** Destroys every client's TCP connection, server side; returns how many it cut. */
  dropConnections(): number;
  /**
   * While down, the node destroys every new TCP connection as soon as it is accepted, so a
   * client's reconnect attempts fail until `up()`.
   */
  down(): void;
  up(): void;
  close(): Promise<void>;
}

interface JsonRpcRequest {
  id: number | string | null;
  method: string;
  params: unknown[];
}

type Answer = { result: unknown } | { error: { code: number; message: string } };

const METADATA_VERSIONS = u8aToHex(
  u8aConcat(compactToU8a(2), new Uint8Array([14, 0, 0, 0, 15, 0, 0, 0])),
);

/** Node RPC aliases: the node answers these names exactly as their canonical method. */
const ALIASES: Record<string, string> = {
  chain_getHead: 'chain_getBlockHash',
  chain_getFinalisedHead: 'chain_getFinalizedHead',
  state_getStorageAt: 'state_getStorage',
  state_callAt: 'state_call',
  state_getMetadataAt: 'state_getMetadata',
  state_getRuntimeVersionAt: 'state_getRuntimeVersion',
  chain_subscribeNewHead: 'chain_subscribeNewHeads',
  subscribe_newHead: 'chain_subscribeNewHeads',
  chain_unsubscribeNewHead: 'chain_unsubscribeNewHeads',
  unsubscribe_newHead: 'chain_unsubscribeNewHeads',
};

const SUBSCRIPTIONS: Record<string, { notification: string; unsubscribe: string }> = {
  chain_subscribeNewHeads: {
    notification: 'chain_newHead',
    unsubscribe: 'chain_unsubscribeNewHeads',
  },
  chain_subscribeAllHeads: {
    notification: 'chain_allHead',
    unsubscribe: 'chain_unsubscribeAllHeads',
  },
  chain_subscribeFinalizedHeads: {
    notification: 'chain_finalizedHead',
    unsubscribe: 'chain_unsubscribeFinalizedHeads',
  },
  state_subscribeRuntimeVersion: {
    notification: 'state_runtimeVersion',
    unsubscribe: 'state_unsubscribeRuntimeVersion',
  },
};

/**
 * Submissions are accepted as methods (a client checks `rpc_methods` before sending); the
 * node executes them only through the `include` option, and otherwise refuses them the way a
 * node refuses an invalid transaction. Tests read what was sent from `received`.
 */
const SUBMISSIONS = ['author_submitExtrinsic', 'author_submitAndWatchExtrinsic'];

/** Canonical form for comparing params: hex lowercased without 0x, trailing nulls dropped. */
function normaliseParams(params: readonly unknown[]): string {
  const values = params.map((value) =>
    typeof value === 'string' && /^(0x)?[0-9a-fA-F]*$/.test(value) && value.length % 2 === 0
      ? value.replace(/^0x/, '').toLowerCase()
      : value,
  );
  while (
    values.length > 0 &&
    (values[values.length - 1] === null || values[values.length - 1] === undefined)
  ) {
    values.pop();
  }
  return JSON.stringify(values);
}

function canonical(method: string): string {
  return ALIASES[method] ?? method;
}

/**
 * A loopback WebSocket JSON-RPC node that answers from a recording of a real one.
 *
 * It serves what @polkadot/api needs to connect (genesis hash, runtime version, chain name,
 * properties, metadata through `Metadata_metadata_at_version`, subscriptions) derived from
 * the recording and its metadata, and every other call only when the recording holds that
 * exact method and params. Anything else gets the JSON-RPC error a node would send, so a
 * client reading data the recording lacks fails loudly instead of hanging.
 */
export async function startReplayServer(options: ReplayServerOptions): Promise<ReplayServer> {
  const { recording, metadataHex } = options;
  const recorded = new Map<string, unknown>();
  const record = (calls: readonly RecordedCall[]): void => {
    for (const call of calls) {
      recorded.set(`${canonical(call.method)}|${normaliseParams(call.params)}`, call.result);
    }
  };
  record(recording.calls);
  const find = (method: string, params: readonly unknown[]): { found: boolean; value: unknown } => {
    const key = `${method}|${normaliseParams(params)}`;
    return { found: recorded.has(key), value: recorded.get(key) };
  };
  let headHash = recording.block_hash;
  let head = find('chain_getHeader', [recording.block_hash]);
  const runtimeVersion = recording.calls.find(
    (call) => call.method === 'state_getRuntimeVersion',
  )?.result;
  const metadataBytes = hexToU8a(metadataHex);
  const metadataAtVersion15 = u8aToHex(
    u8aConcat(new Uint8Array([1]), compactToU8a(metadataBytes.length), metadataBytes),
  );

  const handshake = (method: string, params: readonly unknown[]): Answer | undefined => {
    const [first] = params;
    switch (method) {
      case 'rpc_methods':
        return { result: { version: 1, methods: methodList() } };
      case 'system_chain':
        return { result: 'Bittensor' };
      case 'system_name':
        return { result: 'signal-replay' };
      case 'system_version':
        return { result: '0.0.0' };
      case 'system_properties':
        return {
          result: { ss58Format: recording.ss58_format, tokenDecimals: 9, tokenSymbol: 'TAO' },
        };
      case 'system_health':
        return { result: { peers: 0, isSyncing: false, shouldHavePeers: false } };
      case 'chain_getBlockHash':
        if (first === 0 || first === '0x0') return { result: recording.genesis_hash };
        if (first === undefined || first === null) return { result: headHash };
        return undefined;
      case 'chain_getHeader':
        if ((first === undefined || first === null) && head.found) return { result: head.value };
        return undefined;
      case 'chain_getFinalizedHead':
        return { result: headHash };
      case 'state_getRuntimeVersion':
        if ((first === undefined || first === null) && runtimeVersion !== undefined) {
          return { result: runtimeVersion };
        }
        return undefined;
      case 'state_getMetadata':
        return { result: metadataHex };
      case 'state_call':
        if (first === 'Metadata_metadata_versions') return { result: METADATA_VERSIONS };
        if (first === 'Metadata_metadata_at_version') {
          const version = normaliseParams([params[1]]);
          return { result: version === '["0f000000"]' ? metadataAtVersion15 : '0x00' };
        }
        return undefined;
      default:
        return undefined;
    }
  };

  const handshakeMethods = [
    'rpc_methods',
    'system_chain',
    'system_name',
    'system_version',
    'system_properties',
    'system_health',
    'chain_getBlockHash',
    'chain_getHead',
    'chain_getHeader',
    'chain_getFinalizedHead',
    'state_getRuntimeVersion',
    'state_getMetadata',
    'state_call',
    ...SUBMISSIONS,
    'author_unwatchExtrinsic',
    ...Object.keys(SUBSCRIPTIONS),
    ...Object.values(SUBSCRIPTIONS).map((s) => s.unsubscribe),
  ];
  const methodList = (): string[] =>
    [...new Set([...handshakeMethods, ...recording.calls.map((call) => call.method)])].sort();
  const known = new Set(methodList().map(canonical));

  const requests: string[] = [];
  const received: ReceivedCall[] = [];
  let nextSubscription = 1;
  const nextSubscriptionId = (): string =>
    `0x${(nextSubscription++).toString(16).padStart(16, '0')}`;

  const notify = (socket: WebSocket, method: string, subscription: string, result: unknown) => {
    if (socket.readyState !== socket.OPEN) return;
    socket.send(JSON.stringify({ jsonrpc: '2.0', method, params: { subscription, result } }));
  };

  /** Runs a submission through `include`, reporting its progress to a watching client. */
  const submit = (socket: WebSocket, request: JsonRpcRequest): Answer => {
    const [extrinsic] = request.params;
    if (!options.include || typeof extrinsic !== 'string') {
      return {
        error: {
          code: 1010,
          message: 'Invalid Transaction: the replay node does not execute extrinsics',
        },
      };
    }
    const blockHash = options.include(extrinsic);
    if (canonical(request.method) === 'author_submitExtrinsic') return { result: blockHash };
    const id = nextSubscriptionId();
    setImmediate(() => {
      notify(socket, 'author_extrinsicUpdate', id, 'ready');
      notify(socket, 'author_extrinsicUpdate', id, { inBlock: blockHash });
    });
    return { result: id };
  };

  const answer = (socket: WebSocket, request: JsonRpcRequest): Answer => {
    const method = canonical(request.method);
    const subscription = SUBSCRIPTIONS[method];
    if (subscription) {
      const id = nextSubscriptionId();
      const payload = method === 'state_subscribeRuntimeVersion' ? runtimeVersion : head.value;
      // Notify after the subscription id has been sent, as a node does.
      setImmediate(() => notify(socket, subscription.notification, id, payload));
      return { result: id };
    }
    if (Object.values(SUBSCRIPTIONS).some((s) => s.unsubscribe === method)) return { result: true };
    if (method === 'author_unwatchExtrinsic') return { result: true };
    if (SUBMISSIONS.includes(method)) return submit(socket, request);
    const fromHandshake = handshake(method, request.params);
    if (fromHandshake) return fromHandshake;
    const hit = find(method, request.params);
    if (hit.found) return { result: hit.value };
    if (!known.has(method))
      return { error: { code: -32601, message: `Method not found: ${request.method}` } };
    return {
      error: {
        code: -32000,
        message: `The replayed node holds no answer for ${request.method}(${JSON.stringify(request.params)})`,
      },
    };
  };

  const http = createServer();
  const server = new WebSocketServer({ server: http });
  const tcp = new Set<Socket>();
  let isDown = false;
  let connections = 0;
  http.on('connection', (socket) => {
    if (isDown) {
      socket.destroy();
      return;
    }
    tcp.add(socket);
    socket.once('close', () => tcp.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, '127.0.0.1', () => {
      http.off('error', reject);
      resolve();
    });
  });
  server.on('connection', (socket, upgrade) => {
    connections += 1;
    socket.on('message', (data) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(data.toString());
      } catch {
        socket.send(
          JSON.stringify({
            jsonrpc: '2.0',
            id: null,
            error: { code: -32700, message: 'Parse error' },
          }),
        );
        return;
      }
      const request = parsed as Partial<JsonRpcRequest>;
      if (
        typeof request.method !== 'string' ||
        (request.params !== undefined && !Array.isArray(request.params))
      ) {
        socket.send(
          JSON.stringify({
            jsonrpc: '2.0',
            id: request.id ?? null,
            error: { code: -32600, message: 'Invalid request' },
          }),
        );
        return;
      }
      const full: JsonRpcRequest = {
        id: request.id ?? null,
        method: request.method,
        params: request.params ?? [],
      };
      requests.push(full.method);
      received.push({ method: full.method, params: full.params });
      if (options.fault?.({ method: full.method, params: full.params }) === 'drop') {
        upgrade.socket.destroy();
        return;
      }
      socket.send(JSON.stringify({ jsonrpc: '2.0', id: full.id, ...answer(socket, full) }));
    });
  });
  const { port } = http.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}`,
    port,
    requests,
    received,
    get connections() {
      return connections;
    },
    record,
    setHead: (hash, header) => {
      headHash = hash;
      head = { found: true, value: header };
      record([{ method: 'chain_getHeader', params: [hash], result: header }]);
    },
    dropConnections: () => {
      const cut = tcp.size;
      for (const socket of tcp) socket.destroy();
      return cut;
    },
    down: () => {
      isDown = true;
    },
    up: () => {
      isDown = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of server.clients) client.terminate();
        for (const socket of tcp) socket.destroy();
        server.close(() => http.close(() => resolve()));
      }),
  };
}
