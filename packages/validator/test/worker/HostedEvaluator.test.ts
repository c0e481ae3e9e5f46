import { encodeTensor } from '@signal/core';
import { ModelDirError } from '@signal/runtime';
import {
  type ContinuationTask,
  EvaluateError,
  Evaluator,
  HostedEvaluator,
  synthesizeTasks,
} from '@signal/validator';
import { condenseWithPress } from '../helpers/condenseWithPress';
import { testTiers } from '../helpers/testTiers';
import { MODEL_NAME, tinyModel } from '../helpers/tinyModel';

/*
 * The hosted evaluator scores in a worker thread exactly as the in-thread one does, and
 * rebuilds errors raised in the worker as their class.
 */
const tier = testTiers()[0]!;
let model: Awaited<ReturnType<typeof tinyModel>>;
let local: Evaluator;
let hosted: HostedEvaluator;
let task: ContinuationTask;

beforeAll(async () => {
  model = await tinyModel();
  const options = {
    models: { [MODEL_NAME]: model.dir, missing: '/nonexistent/model' },
    maxContinuationTokens: 16,
  };
  local = new Evaluator(options);
  hosted = await HostedEvaluator.start({ ...options, threads: 1, workers: 1 });
  [task] = synthesizeTasks({
    seed: 'hosted-evaluator',
    tier,
    count: 1,
    families: ['continuation'],
  }) as [ContinuationTask];
});

afterAll(async () => {
  await hosted?.close();
  await local?.close();
  await model?.cleanup();
});

describe('HostedEvaluator', () => {
  it('scores a payload as the in-thread evaluator does, and clears references per epoch', async () => {
    const raw = await condenseWithPress(model.lm, MODEL_NAME, task.context, 'knorm', 0.5);
    const parameters = { task, tier, model: MODEL_NAME, raw };
    const expected = await local.evaluate(parameters);
    expect(expected.valid).toBe(true);
    await expect(hosted.evaluate(parameters)).resolves.toEqual(expected);
    hosted.clearReferences();
    await expect(hosted.evaluate(parameters)).resolves.toEqual(expected);
    await expect(hosted.geometry(MODEL_NAME)).resolves.toEqual(await local.geometry(MODEL_NAME));
    await expect(hosted.countTokens(MODEL_NAME, task.context)).resolves.toBe(
      await local.countTokens(MODEL_NAME, task.context),
    );
  });

  it('refuses wrong shapes and non-finite values with the same codes', async () => {
    const raw = await condenseWithPress(model.lm, MODEL_NAME, task.context, 'knorm', 0.5);
    const [, heads, kept, dim] = raw.layers[0]!.key.shape as [number, number, number, number];
    const data = new Float32Array(heads * kept * dim).fill(0.5);
    data[3] = Number.NaN;
    const nan = encodeTensor(
      { dtype: 'float16', shape: [1, heads, kept, dim], data },
      { allowNonFinite: true },
    );
    const wrong = encodeTensor({
      dtype: 'float16',
      shape: [1, heads + 1, kept, dim],
      data: new Float32Array((heads + 1) * kept * dim),
    });
    for (const tensor of [nan, wrong]) {
      const bad = { ...raw, layers: raw.layers.map((layer) => ({ ...layer, key: tensor })) };
      const parameters = { task, tier, model: MODEL_NAME, raw: bad };
      const expected = await local.evaluate(parameters);
      expect(expected.valid).toBe(false);
      await expect(hosted.evaluate(parameters)).resolves.toEqual(expected);
    }
  });

  it('rebuilds errors as their class: an unknown model, a model whose files are missing', async () => {
    const unknown = await hosted.geometry('nope').catch((e) => e);
    expect(unknown).toBeInstanceOf(EvaluateError);
    expect(unknown.code).toBe('EVAL_MODEL_UNKNOWN');
    const inThread = await local.geometry('missing').catch((e) => e);
    const inWorker = await hosted.geometry('missing').catch((e) => e);
    expect(inThread).toBeInstanceOf(ModelDirError);
    expect(inWorker).toBeInstanceOf(ModelDirError);
    expect(inWorker).toMatchObject({ code: inThread.code, shortMessage: inThread.shortMessage });
  });
});
