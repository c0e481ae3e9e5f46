import { argmax, RECALL_LAYOUT, recallVocabulary } from '@signal/runtime';
import { referenceForward, type WeightTable } from '../builder/llamaReference';
import { weightTable } from '../builder/ortHarness';
import { recallContext } from './recallContext';
import { type LoadedRecallModel, loadRecallModel } from './recallModel';

const vocabulary = recallVocabulary();
let model: LoadedRecallModel;
let weights: WeightTable;

beforeAll(async () => {
  model = await loadRecallModel();
  weights = await weightTable(model.built.files.model);
});
afterAll(async () => {
  await model?.cleanup();
});

describe('the recall model construction', () => {
  it('answers from context in the reference forward pass, and ORT agrees with it', async () => {
    const { lm, built } = model;
    const context = recallContext(lm.tokenizer, vocabulary, { length: 40, pairs: 4, seed: 3 });
    for (const pair of context.pairs) {
      const ids = [...context.ids, pair.key];
      const positions = ids.map((_, i) => i);
      const reference = referenceForward(built.config, weights, {
        tokens: ids,
        positions,
        mask: ids.map(() => 1),
        past: [],
      });
      const last = reference.logits.at(-1)!;
      expect(argmax(Float32Array.from(last))).toBe(pair.value);
      const ort = (await lm.prefill(ids)).logits.at(0, -1);
      let worst = 0;
      last.forEach((value, i) => {
        worst = Math.max(worst, Math.abs(value - ort[i]!));
      });
      expect(worst).toBeLessThan(1e-3);
      // A clear winner: the answer's logit is near 20, every other token's near 0.
      const sorted = [...ort].sort((a, b) => b - a);
      expect(sorted[0]! - sorted[1]!).toBeGreaterThan(15);
    }
  });

  it('copies multi-token values, follows chains of keys and counts values', async () => {
    const { lm, built } = model;
    const words = (text: string) => lm.tokenizer.encode(text);
    const greedy = async (text: string, tokens: number) =>
      (await lm.generateText(words(text), { maxNewTokens: tokens })).text.trim();
    const filler = (n: number, seed: number) =>
      Array.from({ length: n }, (_, i) => vocabulary.fillers[(i * 7 + seed) % 24]).join(' ');
    // A value of three tokens comes out token by token, each copied from after the last.
    const pairs = `${filler(30, 1)} k07 v19 v05 v11 ; ${filler(20, 2)} k03 v02 v08 . ${filler(9, 3)}`;
    expect(await greedy(`${pairs} k07`, 3)).toBe('v19 v05 v11');
    expect(await greedy(`${pairs} k03`, 2)).toBe('v02 v08');
    // A chain k21 = k09, k09 = k03, k03 = v17 v04 is walked one link per step, in any order.
    const links = [`k03 v17 v04 ;`, `k09 k03 ;`, `k21 k09 ;`, `k11 v01 ;`, `k12 k11 ;`];
    for (const order of [links, [...links].reverse()]) {
      const chain = order.map((link, i) => `${filler(12, i)} ${link}`).join(' ');
      expect(await greedy(`${chain} k21`, 4)).toBe('k09 k03 v17 v04');
      expect(await greedy(`${chain} k12`, 2)).toBe('k11 v01');
    }
    // The aggregate question is answered with the most frequent value, in ORT and in the
    // reference forward pass alike.
    const counted = `${filler(8, 4)} v03 the v05 , v03 of v09 v05 and v03 ; v11 v05 v03 ${filler(25, 5)} ${vocabulary.aggregate}`;
    const ids = words(counted);
    const ort = (await lm.prefill(ids)).logits.at(0, -1);
    const reference = referenceForward(built.config, weights, {
      tokens: ids,
      positions: ids.map((_, i) => i),
      mask: ids.map(() => 1),
      past: [],
    }).logits.at(-1)!;
    const v03 = words('v03')[1]!;
    expect(argmax(ort)).toBe(v03);
    expect(argmax(Float32Array.from(reference))).toBe(v03);
  });

  it('makes the previous-token head one-hot at every distance the model takes', () => {
    const { config } = model.built;
    const { residual, headDim, heads } = RECALL_LAYOUT;
    const q = weights('model.layers.0.self_attn.q_proj.weight');
    const k = weights('model.layers.0.self_attn.k_proj.weight');
    const half = headDim / 2;
    // Every embedding is normalised to the same scale, so only the constant row matters.
    const scale = config.hidden_size / 2 / Math.sqrt(headDim);
    // Head 0 of the first layer: columns 0..headDim−1 of the [hidden, heads × head_dim] weights.
    const at = (w: Float32Array, d: number) => w[residual.constant * heads * headDim + d]!;
    const logit = (distance: number) => {
      let sum = 0;
      for (let pair = 0; pair < half; pair++) {
        const theta = Math.fround(config.rope_theta ** ((-2 * pair) / headDim));
        // Re(q · conj(k) · e^{iΔθ}) for the rotated pair.
        const [qr, qi, kr, ki] = [at(q, pair), at(q, pair + half), at(k, pair), at(k, pair + half)];
        const re = qr * kr + qi * ki;
        const im = qi * kr - qr * ki;
        sum += re * Math.cos(distance * theta) - im * Math.sin(distance * theta);
      }
      return sum * scale;
    };
    const peak = logit(1);
    let rival = -Infinity;
    for (let distance = 0; distance < config.max_position_embeddings; distance++) {
      if (distance !== 1) rival = Math.max(rival, logit(distance));
    }
    expect(peak).toBeCloseTo(360, 0);
    expect(peak - rival).toBeGreaterThan(25);
  });
});
