import { createServer, type Http2Server, type Http2ServerResponse } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Platform, startTestPlatform } from '../src';
import { analysisRuns, getItem, putStoreFile, reportsOf, sampleFile } from './analysis-helpers';

/**
 * The daily analysis with `INSIGHTS_PROVIDER=bedrock` against a Bedrock endpoint that misbehaves (an HTTP/2 server
 * standing in for bedrock-runtime, reached by the bundle's real client through `AWS_ENDPOINT_URL_BEDROCK_RUNTIME`):
 * one day it throttles every call, one day it answers with an answer cut off at the token cap, one day it never
 * answers. Each day still completes, with the statistical insights, flagged degraded, one partial-failure alert that
 * says why, and a report marked partial; the tokens of the answered call are in the metrics.
 */
type Mode = 'throttle' | 'truncated' | 'hang';
let mode: Mode = 'throttle';
const calls: Record<Mode, number> = { throttle: 0, truncated: 0, hang: 0 };
let bedrock: Http2Server;
let platform: Platform;
const days: Record<Mode, string> = { throttle: '2025-10-27', truncated: '2025-10-28', hang: '2025-10-29' };

function answer(res: Http2ServerResponse): void {
  calls[mode]++;
  if (mode === 'hang') return; // Never answers; the provider's time budget ends the wait.
  if (mode === 'throttle') {
    res.writeHead(429, {
      'content-type': 'application/json',
      'x-amzn-errortype': 'ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/',
    });
    res.end(JSON.stringify({ message: 'Too many requests, please wait before trying again.' }));
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(
    JSON.stringify({
      output: { message: { role: 'assistant', content: [{ text: '{"summary": "Store 0001 sold' }] } },
      stopReason: 'max_tokens',
      usage: { inputTokens: 2900, outputTokens: 2048, totalTokens: 4948 },
      metrics: { latencyMs: 8000 },
    }),
  );
}

beforeAll(async () => {
  bedrock = createServer((req, res) => {
    req.resume();
    req.on('end', () => answer(res));
  });
  await new Promise<void>((resolve) => bedrock.listen(0, '127.0.0.1', resolve));
  platform = await startTestPlatform({
    expectedStores: ['0001'],
    env: {
      INSIGHTS_PROVIDER: 'bedrock',
      AWS_ENDPOINT_URL_BEDROCK_RUNTIME: `http://127.0.0.1:${(bedrock.address() as AddressInfo).port}`,
    },
    // Bedrock's share of it is the time left less 5 s: a model that hangs is given up on after ~5 s.
    functionTimeoutsSeconds: { 'generate-recommendations': 10 },
  });
  for (const m of ['throttle', 'truncated', 'hang'] as const) {
    mode = m;
    await putStoreFile(platform, '0001', days[m], sampleFile('0001', days[m]));
    await platform.waitForIdle();
  }
}, 120_000);

afterAll(async () => {
  await platform?.stop();
  bedrock?.close();
});

describe('daily analysis with a failing Bedrock', () => {
  it.each([
    ['throttle', /ThrottlingException: Too many requests/],
    ['truncated', /ModelOutputError: the model stopped with "max_tokens"/],
    ['hang', /(TimeoutError|AbortError)/],
  ] as const)('%s: completes degraded, with one partial-failure alert saying why', async (m, reason) => {
    const date = days[m];
    expect(calls[m]).toBe(m === 'throttle' ? 4 : 1);
    const runs = analysisRuns(platform, date);
    expect(runs.map((r) => r.status)).toEqual(['SUCCEEDED']);
    expect(JSON.parse(runs[0]?.output ?? '{}')).toMatchObject({ degraded: true, provider: 'statistical' });

    const alerts = platform.messages('tillflow-alerts').filter((a) => a.subject?.includes(date));
    expect(alerts.map((a) => a.subject)).toEqual([`Tillflow daily-analysis ${date} r1: partial failure`]);
    expect(alerts[0]?.message).toContain('Its insights come from the fallback: provider statistical.');
    expect(alerts[0]?.message).toMatch(reason);

    const insights = await getItem(platform, 'INSIGHTS', `DATE#${date}`);
    expect(insights).toMatchObject({ degraded: true, provider: 'statistical' });
    expect(String((insights?.reasons as string[] | undefined)?.[0])).toMatch(reason);
    const reports = reportsOf(platform, date);
    expect(reports).toHaveLength(1);
    expect(reports[0]?.subject).toMatch(/\(partial\)$/);
  });

  it('counts the tokens and the cost of the answered call, and every degraded day', async () => {
    const lines: Record<string, unknown>[] = [];
    let nextToken: string | undefined;
    do {
      const page = platform.logStore.filterLogEvents({
        logGroupName: '/aws/lambda/tillflow-generate-recommendations',
        ...(nextToken ? { nextToken } : {}),
      });
      for (const e of page.events) if (e.message.startsWith('{')) lines.push(JSON.parse(e.message));
      nextToken = page.nextToken;
    } while (nextToken);
    const emf = lines.filter((l) => '_aws' in l);
    const figure = (name: string) => emf.filter((l) => name in l).map((l) => ({ model: l.model, [name]: l[name] }));
    // 2900 × 0.06 + 2048 × 0.24 dollars per million tokens (amazon.nova-lite-v1:0, the default model).
    const model = 'amazon.nova-lite-v1:0';
    expect(figure('BedrockInputTokens')).toEqual([{ model, BedrockInputTokens: 2900 }]);
    expect(figure('BedrockOutputTokens')).toEqual([{ model, BedrockOutputTokens: 2048 }]);
    expect(figure('BedrockCostUsd')).toEqual([{ model, BedrockCostUsd: 0.00066552 }]);
    expect(emf.filter((l) => l.InsightsDegraded === 1)).toHaveLength(3);
  });
});
