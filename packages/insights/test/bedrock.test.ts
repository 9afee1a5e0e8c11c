import { readFileSync } from 'node:fs';
import { createServer, type Http2Server } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { ConfigError } from '@tillflow/core';
import { Value } from 'typebox/value';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createBedrockProvider } from '../src/bedrock';
import { DailyInsights } from '../src/insights.schema';
import { createInsightsProvider, type InsightsLogger } from '../src/provider';
import { statisticalInsights } from '../src/statistical';
import { buildFacts, ODD_SKU } from './series';

interface Recorded {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
  /** A body that is not JSON, sent as it is. */
  raw?: string;
  /** Answer only after this long (a model that hangs). */
  delayMs?: number;
}

const fixture = (name: string): Recorded => {
  // `<name>+<ms>`: the recorded answer, sent after a delay.
  const [file, delay] = name.split('+');
  const recorded = JSON.parse(readFileSync(new URL(`./fixtures/converse-${file}.json`, import.meta.url), 'utf8'));
  return delay ? { ...recorded, delayMs: Number(delay) } : recorded;
};

/**
 * A stand-in for the Bedrock endpoint that replays recorded responses in order and keeps the requests. It speaks
 * HTTP/2 (cleartext) because that is what the Bedrock runtime client uses by default; the client is left as shipped.
 */
let server: Http2Server;
let endpoint: string;
let queue: Recorded[] = [];
let requests: { method: string; url: string; body: Record<string, unknown> }[] = [];
const clients: BedrockRuntimeClient[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({
        method: req.method ?? '',
        url: req.url ?? '',
        body: JSON.parse(Buffer.concat(chunks).toString()),
      });
      const next = queue.shift();
      if (!next) {
        res.writeHead(500).end('{"message":"no recorded response left"}');
        return;
      }
      const answer = () => {
        if (res.destroyed || res.closed) return;
        res.writeHead(next.status, next.headers).end(next.raw ?? JSON.stringify(next.body));
      };
      if (next.delayMs) setTimeout(answer, next.delayMs).unref();
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const client of clients) client.destroy();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  queue = [];
  requests = [];
});

/**
 * Waits until the stand-in has received `n` requests. A call the client gave up on may reach the server after the
 * client's timeout on a busy machine: a test of a timeout waits for it, so that it counts in the test that made it.
 */
async function received(n: number): Promise<void> {
  const deadline = Date.now() + 5000;
  while (requests.length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
}

function logger() {
  const lines: { level: string; message: string; fields?: Record<string, unknown> }[] = [];
  const log: InsightsLogger = {
    info: (message, fields) => lines.push({ level: 'info', message, fields }),
    warn: (message, fields) => lines.push({ level: 'warn', message, fields }),
  };
  return { log, lines };
}

function provider(replies: string[], extra: Partial<Parameters<typeof createBedrockProvider>[0]> = {}) {
  queue = replies.map(fixture);
  const { log, lines } = logger();
  const sleeps: number[] = [];
  const client = new BedrockRuntimeClient({
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' },
    maxAttempts: 1,
  });
  clients.push(client);
  const p = createBedrockProvider({
    client,
    logger: log,
    maxAttempts: 3,
    baseDelayMs: 100,
    random: () => 0.5,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...extra,
  });
  return { p, lines, sleeps };
}

// The recorded answers cite the ids and numbers of this day's statistical facts.
const facts = buildFacts({ drop: { store: '0003', factor: 0.4 }, paymentShift: true });
const statistical = statisticalInsights(facts);

describe('bedrock provider against recorded Converse responses', () => {
  it('keeps every grounded recommendation of a valid answer, with our ids and facts', async () => {
    const { p, lines } = provider(['valid']);
    const result = await p.analyze(facts);

    expect(Value.Check(DailyInsights, result)).toBe(true);
    expect(result).toMatchObject({ provider: 'bedrock', model: 'amazon.nova-lite-v1:0', degraded: false, reasons: [] });
    expect(result.summary).toMatch(/^Store 0003 sold 320\.00, 60% below/);
    expect(result.anomalies).toEqual(statistical.anomalies);
    expect(result.trends).toEqual(statistical.trends);
    expect(result.recommendations.map((r) => [r.id, r.category, r.subject, r.priority])).toEqual([
      ['r-dd52affc83491639', 'investigate', '0003', 'high'],
      ['r-02aa01c4d4680e4f', 'restock', 'RISE-001', 'high'],
      ['r-0784bdc10ddef10b', 'promote', 'FALL-002', 'medium'],
      ['r-af5dc10e3c5cdba5', 'payment_mix', 'mobile', 'medium'],
    ]);
    const investigate = result.recommendations[0];
    expect(investigate?.action).toContain('320.00 against a usual 800.00');
    expect(investigate?.facts).toMatchObject({ 'net_sales.value': 320, 'net_sales_vs_peers.level_pct': 40 });
    expect(result.recommendations[1]?.facts).toMatchObject({
      'restock.today.rank': 1,
      'net_sales_trend.units_current': 140,
    });

    const call = lines.find((l) => l.message === 'bedrock converse');
    expect(call?.fields).toMatchObject({
      modelId: 'amazon.nova-lite-v1:0',
      attempt: 1,
      inputTokens: 3187,
      outputTokens: 512,
      totalTokens: 3699,
      latencyMs: 2841,
      stopReason: 'end_turn',
      // 3187 × 0.06 + 512 × 0.24 dollars per million tokens.
      estimatedCostUsd: 0.0003141,
    });
  });

  it('sends one Converse request at temperature 0 holding aggregates and no store-written text', async () => {
    const { p } = provider(['valid']);
    await p.analyze(facts);
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request?.method).toBe('POST');
    expect(decodeURIComponent(request?.url ?? '')).toBe('/model/amazon.nova-lite-v1:0/converse');
    expect(request?.body.inferenceConfig).toEqual({ temperature: 0, maxTokens: 2048 });
    const prompt = JSON.stringify(request?.body);
    expect(prompt).toContain('a-a080a7cc02058290');
    expect(prompt).toContain('RISE-001');
    // Item names, customer ids and a SKU that is not a plain code never reach the model.
    for (const text of ['Rising Star', 'Odd <b>name</b>', 'C1', ODD_SKU]) expect(prompt).not.toContain(text);
    expect(prompt).toMatch(/sku-[0-9a-f]{8}/);
  });

  it('parses JSON fenced in prose', async () => {
    const { p } = provider(['fenced']);
    const result = await p.analyze(facts);
    expect(result.degraded).toBe(false);
    expect(result.summary).toBe('A difficult day for store 0003, which sold 60% below its usual level.');
    expect(result.recommendations.map((r) => `${r.category}/${r.subject}/${r.priority}`)).toEqual([
      'investigate/0003/high',
      'payment_mix/cash/low',
    ]);
  });

  it('falls back to the statistical result, flagged, on a malformed answer', async () => {
    const { p, lines } = provider(['malformed']);
    const result = await p.analyze(facts);
    expect(result).toMatchObject({ provider: 'statistical', model: null, degraded: true });
    expect(result.reasons).toHaveLength(1);
    expect(result.reasons[0]).toMatch(
      /^bedrock \(amazon\.nova-lite-v1:0\): ModelOutputError: the answer is not valid JSON/,
    );
    expect(result.recommendations).toEqual(statistical.recommendations);
    expect(result.summary).toBe(statistical.summary);
    expect(lines.some((l) => l.level === 'warn' && l.message === 'bedrock insights degraded to statistical')).toBe(
      true,
    );
  });

  it('drops the items that state numbers matching no computed fact, and says why', async () => {
    const { p } = provider(['invented-numbers']);
    const result = await p.analyze(facts);
    expect(result.degraded).toBe(false);
    expect(result.provider).toBe('bedrock');
    expect(result.recommendations.map((r) => r.id)).toEqual(['r-dd52affc83491639']);
    expect(result.reasons).toEqual([
      'recommendation 2 (product RISE-001): states 75, which match no computed fact',
      'recommendation 3 (product FALL-002): states 1,250.00, which match no computed fact',
      'summary: states 12, which match no computed fact',
    ]);
    // The invented summary is replaced by the computed one.
    expect(result.summary).toBe(statistical.summary);
  });

  it('retries a throttled call after a full-jitter backoff and then succeeds', async () => {
    const { p, lines, sleeps } = provider(['throttled', 'valid']);
    const result = await p.analyze(facts);
    expect(requests).toHaveLength(2);
    expect(result.degraded).toBe(false);
    expect(result.recommendations).toHaveLength(4);
    // random 0.5 × min(maxDelay, 100 × 2^0).
    expect(sleeps).toEqual([50]);
    expect(lines.find((l) => l.message === 'bedrock call failed, retrying')?.fields).toMatchObject({
      attempt: 1,
      error: 'ThrottlingException',
    });
    expect(lines.find((l) => l.message === 'bedrock converse')?.fields).toMatchObject({ attempt: 2 });
  });

  it('falls back, flagged, when every attempt is throttled', async () => {
    const { p, sleeps } = provider(['throttled', 'throttled', 'throttled']);
    const result = await p.analyze(facts);
    expect(requests).toHaveLength(3);
    expect(sleeps).toEqual([50, 100]);
    expect(result).toMatchObject({ provider: 'statistical', degraded: true });
    expect(result.reasons[0]).toBe(
      'bedrock (amazon.nova-lite-v1:0): ThrottlingException: Too many requests, please wait before trying again.',
    );
    expect(result.anomalies).toEqual(statistical.anomalies);
  });

  it('does not retry an error a later attempt would repeat', async () => {
    const { p, sleeps } = provider(['access-denied', 'valid']);
    const result = await p.analyze(facts);
    expect(requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
    expect(result.degraded).toBe(true);
    expect(result.reasons[0]).toMatch(/AccessDeniedException/);
  });

  it('calls the model it is given and logs no cost for a model without a known price', async () => {
    const { p, lines } = provider(['valid'], { modelId: 'anthropic.claude-3-haiku-20240307-v1:0' });
    const result = await p.analyze(facts);
    expect(decodeURIComponent(requests[0]?.url ?? '')).toBe('/model/anthropic.claude-3-haiku-20240307-v1:0/converse');
    expect(result.model).toBe('anthropic.claude-3-haiku-20240307-v1:0');
    expect(lines.find((l) => l.message === 'bedrock converse')?.fields?.estimatedCostUsd).toBeNull();
  });

  it('is what createInsightsProvider returns for "bedrock"', async () => {
    queue = [fixture('valid')];
    const client = new BedrockRuntimeClient({
      region: 'us-east-1',
      endpoint,
      credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' },
      maxAttempts: 1,
    });
    clients.push(client);
    const p = createInsightsProvider('bedrock', { bedrock: { client } });
    expect(p.name).toBe('bedrock');
    expect((await p.analyze(facts)).provider).toBe('bedrock');
    // The client comes from @tillflow/aws's factory: without one there is no Bedrock provider.
    expect(() => createInsightsProvider('bedrock')).toThrow(ConfigError);
  });
});

describe('bedrock provider faults: every one ends in the statistical result, flagged, with the reason', () => {
  it('retries 503 ServiceUnavailableException, then falls back when it persists', async () => {
    const { p, sleeps } = provider(['unavailable', 'unavailable', 'unavailable']);
    const result = await p.analyze(facts);
    expect(requests).toHaveLength(3);
    expect(sleeps).toEqual([50, 100]);
    expect(result).toMatchObject({ provider: 'statistical', degraded: true });
    expect(result.reasons[0]).toBe(
      'bedrock (amazon.nova-lite-v1:0): ServiceUnavailableException: Service unavailable. Try your request again.',
    );
    expect(result.recommendations).toEqual(statistical.recommendations);
  });

  it('gives up on a call that does not answer within its timeout, without retrying it', async () => {
    const { p } = provider(['valid+20000'], { timeoutMs: 1500 });
    const started = Date.now();
    const result = await p.analyze(facts);
    expect(Date.now() - started).toBeLessThan(10_000);
    await received(1);
    await new Promise((r) => setTimeout(r, 200));
    expect(requests).toHaveLength(1);
    expect(result).toMatchObject({ provider: 'statistical', degraded: true });
    expect(result.reasons[0]).toMatch(/^bedrock \(amazon\.nova-lite-v1:0\): (TimeoutError|AbortError): /);
  });

  it("cuts a call's timeout to the invocation's time left, and starts no retry without time for it", async () => {
    let left = 1500;
    const { p, sleeps } = provider(['valid+20000', 'valid'], {
      timeoutMs: 30_000,
      remainingMs: () => left,
      sleep: async (ms) => {
        sleeps.push(ms);
        left -= ms;
      },
    });
    const started = Date.now();
    const result = await p.analyze(facts);
    // The 30 s timeout became the 1.5 s left; the timeout is not retried, so the second answer is never asked for.
    expect(Date.now() - started).toBeLessThan(10_000);
    await received(1);
    await new Promise((r) => setTimeout(r, 200));
    expect(requests).toHaveLength(1);
    expect(result.degraded).toBe(true);

    // With no time left, no call is made at all.
    requests = [];
    const none = provider(['valid'], { remainingMs: () => 0 });
    const skipped = await none.p.analyze(facts);
    expect(requests).toHaveLength(0);
    expect(skipped.reasons[0]).toBe(
      'bedrock (amazon.nova-lite-v1:0): BedrockTimeBudgetError: no time left in the invocation for Bedrock call 1',
    );
  });

  it('falls back on an answer that is not JSON at all (an HTML error page with status 200)', async () => {
    const { p } = provider(['gateway-html']);
    const result = await p.analyze(facts);
    expect(requests).toHaveLength(1);
    expect(result).toMatchObject({ provider: 'statistical', degraded: true });
    expect(result.reasons[0]).toMatch(/^bedrock \(amazon\.nova-lite-v1:0\): \w+: /);
    expect(result.summary).toBe(statistical.summary);
  });

  it('falls back on an answer cut off at the token cap, and still reports the tokens it cost', async () => {
    const usage: unknown[] = [];
    const { p } = provider(['truncated'], { onUsage: (u) => usage.push(u) });
    const result = await p.analyze(facts);
    expect(result).toMatchObject({ provider: 'statistical', degraded: true });
    expect(result.reasons[0]).toBe(
      'bedrock (amazon.nova-lite-v1:0): ModelOutputError: the model stopped with "max_tokens"',
    );
    // 3187 × 0.06 + 2048 × 0.24 dollars per million tokens.
    expect(usage).toEqual([
      { modelId: 'amazon.nova-lite-v1:0', inputTokens: 3187, outputTokens: 2048, estimatedCostUsd: 0.00068274 },
    ]);
  });

  it('reports the usage of every answered call, none for a throttled one', async () => {
    const usage: { inputTokens: number }[] = [];
    const { p } = provider(['throttled', 'valid'], { onUsage: (u) => usage.push(u) });
    await p.analyze(facts);
    expect(usage).toEqual([
      { modelId: 'amazon.nova-lite-v1:0', inputTokens: 3187, outputTokens: 512, estimatedCostUsd: 0.0003141 },
    ]);
  });
});
