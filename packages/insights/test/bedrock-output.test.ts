import { describe, expect, it } from 'vitest';
import {
  ModelOutputError,
  matchesFact,
  parseModelOutput,
  statedNumbers,
  ungroundedNumbers,
} from '../src/bedrock-output';
import { baseModelId, estimateCostUsd } from '../src/bedrock-pricing';

const answer = { summary: 'A quiet day.', recommendations: [] };

describe('parseModelOutput', () => {
  it('reads bare JSON, JSON with prose around it, and fenced JSON', () => {
    expect(parseModelOutput(JSON.stringify(answer))).toEqual(answer);
    expect(parseModelOutput(`Here you go: ${JSON.stringify(answer)} Hope it helps.`)).toEqual(answer);
    expect(parseModelOutput(`Intro {not this}\n\`\`\`json\n${JSON.stringify(answer)}\n\`\`\``)).toEqual(answer);
  });

  it('rejects text without JSON, invalid JSON and JSON of the wrong shape', () => {
    expect(() => parseModelOutput('No insights today.')).toThrow(ModelOutputError);
    expect(() => parseModelOutput("{'summary': 'x'}")).toThrow(/not valid JSON/);
    expect(() =>
      parseModelOutput(JSON.stringify({ summary: 'x', recommendations: [{ scope: 'store', subject: '0001' }] })),
    ).toThrow(/does not match the schema: \/recommendations\/0/);
  });
});

describe('grounding numbers', () => {
  it('reads figures with separators and decimals, not identifiers or dates', () => {
    const text = 'Store 0003 sold 1,234.50 on 2025-10-29, 60% below SKU-002 and Q3 plans (rank #1).';
    expect(statedNumbers(text, ['0003', 'SKU-002']).map((n) => [n.text, n.value, n.decimals])).toEqual([
      ['1,234.50', 1234.5, 2],
      ['60', 60, 0],
      ['1', 1, 0],
    ]);
  });

  it('takes an identifier out only as a whole token', () => {
    // 0003 inside 10,003.00 is part of a figure, not a store.
    expect(statedNumbers('store 0003 made 10,003.00', ['0003']).map((n) => n.value)).toEqual([10003]);
  });

  it('accepts a fact rounded to the decimals stated, whatever its sign, and nothing further off', () => {
    expect(matchesFact({ text: '60', value: 60, decimals: 0 }, [-59.6])).toBe(true);
    expect(matchesFact({ text: '59.4', value: 59.4, decimals: 1 }, [-59.375])).toBe(true);
    expect(matchesFact({ text: '59.3', value: 59.3, decimals: 1 }, [-59.375])).toBe(false);
    expect(matchesFact({ text: '61', value: 61, decimals: 0 }, [-60])).toBe(false);
    expect(ungroundedNumbers('fell 60% to 320.00, not 75%', [320, -60], [])).toEqual(['75']);
  });
});

describe('configuration', () => {
  it('prices a call by the base model of an inference profile', () => {
    expect(baseModelId('us.amazon.nova-lite-v1:0')).toBe('amazon.nova-lite-v1:0');
    // 1,000,000 input tokens at 0.06 and 500,000 output tokens at 0.24 dollars per million.
    expect(estimateCostUsd('us.amazon.nova-lite-v1:0', 1_000_000, 500_000)).toBe(0.18);
    expect(estimateCostUsd('mistral.unknown', 10, 10)).toBeNull();
  });
});
