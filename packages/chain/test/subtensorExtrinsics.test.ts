import { Keyring } from '@polkadot/keyring';
import { findUnknownExtensions } from '@polkadot/types/extrinsic/signedExtensions';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { axonOnChain, buildServeAxonExtrinsic } from '../src/actions/serveAxon';
import {
  buildSetWeightsExtrinsic,
  buildWeightsCommitExtrinsic,
  timelockedCommitCall,
} from '../src/actions/setWeights';
import { SUBTENSOR_SIGNED_EXTENSIONS } from '../src/subtensor/signedExtensions';
import { finneyFixture, subtensorOnFinneyReplay } from './support/fixtures';

// Chain round trips share two CPU cores with the rest of the suite; allow for a busy machine.
jest.setTimeout(120_000);

const { recording } = finneyFixture();

describe('signed SubtensorModule extrinsics against the spec-343 metadata', () => {
  const replay = subtensorOnFinneyReplay();
  beforeAll(() => cryptoWaitReady());

  const alice = () => new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri('//Alice');

  /** The call index and argument names of a SubtensorModule call, read from the metadata. */
  function callFromMetadata(name: string): { index: [number, number]; args: string[] } {
    const { api } = replay.subtensor();
    const pallet = api.runtimeMetadata.asV15.pallets.find(
      (p) => p.name.toString() === 'SubtensorModule',
    )!;
    const callType = api.registry.lookup.getSiType(pallet.calls.unwrap().type);
    const variant = callType.def.asVariant.variants.find((v) => v.name.toString() === name)!;
    return {
      index: [pallet.index.toNumber(), variant.index.toNumber()],
      args: variant.fields.map((f) => f.name.unwrap().toString()),
    };
  }

  function signOffline(tx: ReturnType<typeof buildSetWeightsExtrinsic>) {
    const { api } = replay.subtensor();
    return tx.sign(alice(), {
      nonce: 3,
      era: api.registry.createType('ExtrinsicEra'),
      blockHash: recording.genesis_hash,
      genesisHash: recording.genesis_hash,
      runtimeVersion: api.runtimeVersion,
      signedExtensions: api.registry.signedExtensions,
    });
  }

  it('knows every signed extension the runtime lists', () => {
    const listed = replay
      .subtensor()
      .api.runtimeMetadata.asV15.extrinsic.signedExtensions.map((e) => e.identifier.toString());
    expect(listed).toEqual(
      expect.arrayContaining([
        'ChargeTransactionPayment',
        'SubtensorTransactionExtension',
        'DrandPriority',
      ]),
    );
    expect(replay.subtensor().api.registry.signedExtensions).toEqual(listed);
    // Nothing the runtime lists is left to @polkadot's "unknown, treat as no-op" fallback.
    expect(findUnknownExtensions(listed, SUBTENSOR_SIGNED_EXTENSIONS)).toEqual([]);
    expect(findUnknownExtensions(listed)).toEqual([
      'SubtensorTransactionExtension',
      'DrandPriority',
    ]);
  });

  it('encodes set_weights with its metadata call index and arguments', () => {
    const tx = signOffline(
      buildSetWeightsExtrinsic(
        replay.subtensor().context,
        1,
        { uids: [0, 24, 1023], weights: [65535, 1200, 7] },
        9011001n,
      ),
    );
    const decoded = replay.subtensor().api.registry.createType('Extrinsic', tx.toHex());
    const expected = callFromMetadata('set_weights');
    expect(expected.args).toEqual(['netuid', 'dests', 'weights', 'version_key']);
    expect([...decoded.method.callIndex]).toEqual(expected.index);
    expect(decoded.method.section).toBe('subtensorModule');
    expect(decoded.method.method).toBe('setWeights');
    const [netuid, dests, weights, versionKey] = decoded.method.args;
    expect(netuid!.toString()).toBe('1');
    expect(dests!.toJSON()).toEqual([0, 24, 1023]);
    expect(weights!.toJSON()).toEqual([65535, 1200, 7]);
    expect(versionKey!.toString()).toBe('9011001');
    expect(decoded.isSigned).toBe(true);
    expect(decoded.signer.toString()).toBe(alice().address);
    expect(decoded.nonce.toNumber()).toBe(3);
    expect(decoded.tip.toNumber()).toBe(0);
  });

  it('encodes commit_timelocked_mechanism_weights byte for byte as the metadata lays it out', () => {
    const { context, api } = replay.subtensor();
    expect(timelockedCommitCall(context)).toBe('commit_timelocked_mechanism_weights');
    const expected = callFromMetadata('commit_timelocked_mechanism_weights');
    expect(expected.args).toEqual([
      'netuid',
      'mecid',
      'commit',
      'reveal_round',
      'commit_reveal_version',
    ]);
    // Spec 343 also has the mechanism-less call; its argument list is the same minus mecid.
    expect(callFromMetadata('commit_timelocked_weights').args).toEqual([
      'netuid',
      'commit',
      'reveal_round',
      'commit_reveal_version',
    ]);
    const commit = Uint8Array.from({ length: 300 }, (_, i) => (i * 7) & 0xff);
    const tx = buildWeightsCommitExtrinsic(context, 1, commit, 19_065_992, 4);
    const u64 = new Uint8Array(8);
    new DataView(u64.buffer).setBigUint64(0, 19_065_992n, true);
    const bytes = Uint8Array.from([
      ...expected.index,
      0x01,
      0x00, // netuid: u16
      0x00, // mecid: u8
      0xb1,
      0x04, // compact(300)
      ...commit,
      ...u64, // reveal_round: u64
      0x04,
      0x00, // commit_reveal_version: u16
    ]);
    expect([...tx.method.toU8a()]).toEqual([...bytes]);
    const decoded = api.registry.createType('Extrinsic', signOffline(tx).toHex());
    expect([...decoded.method.callIndex]).toEqual(expected.index);
    expect(decoded.method.args[2]!.toU8a(true)).toEqual(commit);
  });

  it('encodes serve_axon with the IP as u128, ip_type and protocol 4', () => {
    const axon = axonOnChain({ ip: '192.222.59.109', port: 6028, version: 9011001 });
    expect(axon).toEqual({ version: 9011001, ip: 3235789677n, port: 6028, ipType: 4, protocol: 4 });
    const tx = signOffline(buildServeAxonExtrinsic(replay.subtensor().context, 1, axon));
    const decoded = replay.subtensor().api.registry.createType('Extrinsic', tx.toHex());
    const expected = callFromMetadata('serve_axon');
    expect(expected.args).toEqual([
      'netuid',
      'version',
      'ip',
      'port',
      'ip_type',
      'protocol',
      'placeholder1',
      'placeholder2',
    ]);
    expect([...decoded.method.callIndex]).toEqual(expected.index);
    expect(decoded.method.args.map((arg) => arg.toString())).toEqual([
      '1',
      '9011001',
      '3235789677',
      '6028',
      '4',
      '4',
      '0',
      '0',
    ]);
  });

  it('never submitted anything to the node', () => {
    expect(replay.server().requests.filter((method) => method.startsWith('author_'))).toEqual([]);
  });
});
