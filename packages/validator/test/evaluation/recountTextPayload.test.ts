import { recountTextPayload } from '@signal/validator';

// A whitespace tokenizer stands in for the runtime's: the contract is only "text in, count out".
const words = (text: string) => text.split(/\s+/).filter(Boolean).length;

describe('recountTextPayload', () => {
  it('recomputes counts and compression, and flags declared counts that lie', async () => {
    const context = 'one two three four five six seven eight';
    const honest = await recountTextPayload({
      context,
      text: 'one two',
      declared: { originalTokens: 8, condensedTokens: 2 },
      countTokens: words,
    });
    expect(honest).toEqual({
      originalTokens: 8,
      condensedTokens: 2,
      compression: 0.75,
      declaredMatches: true,
    });
    const lying = await recountTextPayload({
      context,
      text: 'one two three four',
      declared: { originalTokens: 8, condensedTokens: 1 },
      countTokens: async (text) => words(text),
    });
    expect(lying.compression).toBe(0.5);
    expect(lying.declaredMatches).toBe(false);
  });

  it('refuses a tokenizer that returns a non-count and an empty context', async () => {
    await expect(
      recountTextPayload({
        context: 'a b',
        text: 'a',
        declared: { originalTokens: 2, condensedTokens: 1 },
        countTokens: () => Number.NaN,
      }),
    ).rejects.toMatchObject({ code: 'EVAL_BAD_TOKEN_COUNT', details: 'for the context: NaN' });
    await expect(
      recountTextPayload({
        context: '',
        text: '',
        declared: { originalTokens: 0, condensedTokens: 0 },
        countTokens: words,
      }),
    ).rejects.toMatchObject({ code: 'EVAL_BAD_TOKEN_COUNT' });
  });
});
