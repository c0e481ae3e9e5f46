import { Axon } from '../../src/wire/axon/Axon';
import { sha3Hex } from '../../src/wire/sha3Hex';
import { type Signer, signText } from '../../src/wire/signature';
import { Echo, rawPost, signers } from './loopbackFixtures';

let miner: Signer;
let validator: Signer;
let axon: Axon;
let port: number;

beforeAll(async () => {
  [miner, validator] = await signers();
  axon = new Axon({ signer: miner });
  axon.attach(Echo, { forward: (synapse) => ({ ...synapse, reply: synapse.text.toUpperCase() }) });
  port = (await axon.listen()).port;
});

afterAll(() => axon.close());

/**
 * The request Python's dendrite sends for `Echo(text='hé "q"')`, written out by hand from
 * dendrite.py: `to_headers()` for the headers and aiohttp's `json=model_dump()` for the
 * body (json.dumps defaults: ", " and ": " separators, ASCII escapes, base fields first,
 * total_size already filled in by to_headers, computed_body_hash left at its default "").
 */
async function pythonRequest(nonce: bigint, uuid: string) {
  const text = 'hé "q"';
  const hash = sha3Hex(sha3Hex(text));
  const signature = await signText(
    validator,
    `${nonce}.${validator.address}.${miner.address}.${uuid}.${hash}`,
  );
  const body =
    '{"name": "Echo", "timeout": 12.0, "total_size": 1873, "header_size": 0, ' +
    `"dendrite": {"status_code": null, "status_message": null, "process_time": null, "ip": "10.1.2.3", "port": null, "version": 10002000, "nonce": ${nonce}, "uuid": "${uuid}", "hotkey": "${validator.address}", "signature": "${signature}"}, ` +
    `"axon": {"status_code": null, "status_message": null, "process_time": null, "ip": "127.0.0.1", "port": ${port}, "version": null, "nonce": null, "uuid": null, "hotkey": "${miner.address}", "signature": null}, ` +
    '"computed_body_hash": "", "text": "h\\u00e9 \\"q\\"", "delay_ms": 0, "reply": null}';
  const headers = {
    name: 'Echo',
    timeout: '12.0',
    bt_header_axon_ip: '127.0.0.1',
    bt_header_axon_port: String(port),
    bt_header_axon_hotkey: miner.address,
    bt_header_dendrite_ip: '10.1.2.3',
    bt_header_dendrite_version: '10002000',
    bt_header_dendrite_nonce: String(nonce),
    bt_header_dendrite_uuid: uuid,
    bt_header_dendrite_hotkey: validator.address,
    bt_header_dendrite_signature: signature,
    bt_header_input_obj_text: 'IiI=',
    header_size: '640',
    total_size: '1873',
    computed_body_hash: hash,
  };
  return { headers, body };
}

describe('a request built the way Python bittensor builds it', () => {
  it('is accepted, and the answer carries what Python dendrite reads back', async () => {
    const nonce = BigInt(Date.now()) * 1_000_000n + 123_456n;
    const { headers, body } = await pythonRequest(nonce, '5f2b8a34-1cec-11ee-b0dc-e29ce36fec1a');
    const response = await rawPost(port, '/Echo', headers, body);
    expect(response.status).toBe(200);
    const json = JSON.parse(response.text);
    expect(json.reply).toBe('HÉ "Q"');
    expect(json.text).toBe('hé "q"');
    expect(json.axon.status_code).toBe(200);
    expect(json.dendrite.hotkey).toBe(validator.address);
    expect(response.headers.bt_header_axon_status_code).toBe('200');
    expect(response.headers.bt_header_axon_status_message).toBe('Success');
    expect(Number(response.headers.bt_header_axon_process_time)).toBeGreaterThanOrEqual(0);
    expect(response.headers.bt_header_axon_hotkey).toBe(miner.address);
    expect(response.headers.bt_header_axon_signature).toMatch(/^0x[0-9a-f]{128}$/);
    expect(response.headers.bt_header_dendrite_nonce).toBe(String(nonce));
    expect(response.headers.computed_body_hash).toBe(sha3Hex(sha3Hex('hé "q"')));
    expect(response.headers['content-type']).toBe('application/json');
  });

  it('is refused when any signed part differs', async () => {
    const nonce = BigInt(Date.now()) * 1_000_000n;
    const { headers, body } = await pythonRequest(nonce, 'other-uuid');
    const forged = { ...headers, bt_header_dendrite_nonce: String(nonce + 1n) };
    expect((await rawPost(port, '/Echo', forged, body)).status).toBe(401);
  });
});
