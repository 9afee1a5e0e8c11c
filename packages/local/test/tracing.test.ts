import { createSocket, type Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Platform, startTestPlatform } from '../src';

/**
 * Tracing as it runs in Lambda, from the bundles: the platform runs them with tracing off (there is no X-Ray daemon),
 * so this file turns it on (`POWERTOOLS_TRACE_ENABLED=true`) and stands in for the daemon with a UDP socket
 * (`AWS_XRAY_DAEMON_ADDRESS`). With a trace header (`_X_AMZN_TRACE_ID`, which Lambda sets per invocation) each
 * handler's step is a subsegment `## <function>` annotated with the correlation id, its SDK calls subsegments of it;
 * without one, the handler runs untraced and still works.
 */
const TRACE_ID = '1-6761a2b3-0123456789abcdef01234567';
let daemon: Socket;
const received: Record<string, unknown>[] = [];
let traced: Platform;
let headerless: Platform;

function startDaemon(): Promise<number> {
  daemon = createSocket('udp4');
  daemon.on('message', (packet) => {
    // Each datagram: a JSON header line, then the (sub)segment document.
    const [, body] = packet.toString('utf8').split('\n');
    if (body) received.push(JSON.parse(body) as Record<string, unknown>);
  });
  return new Promise((resolve) => daemon.bind(0, '127.0.0.1', () => resolve((daemon.address() as AddressInfo).port)));
}

beforeAll(async () => {
  const port = await startDaemon();
  const tracing = { POWERTOOLS_TRACE_ENABLED: 'true', AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${port}` };
  traced = await startTestPlatform({
    s3Rules: [],
    env: { ...tracing, _X_AMZN_TRACE_ID: `Root=${TRACE_ID};Parent=53995c3f42cd8ad8;Sampled=1` },
  });
  headerless = await startTestPlatform({ s3Rules: [], env: tracing });
});

afterAll(async () => {
  await Promise.all([traced?.stop(), headerless?.stop()]);
  daemon?.close();
});

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
}

const failureEvent = (subject: string) => ({
  workflow: 'upload-processor',
  subject,
  failure: { ProcessUpload: { Error: 'TransientError', Cause: 'throttled' } },
});

describe('tracing in a Lambda environment', () => {
  it('traces the step as a subsegment with the correlation id, and its SNS call inside it', async () => {
    const subject = 'uploads/store_0001_2025-10-29.json';
    await traced.invoke('notify-failure', failureEvent(subject));
    await until(() => received.some((s) => s.name === '## notify-failure'));
    const step = received.find((s) => s.name === '## notify-failure') as
      | { id: string; trace_id: string; annotations: Record<string, unknown>; subsegments?: unknown[] }
      | undefined;
    if (!step) throw new Error('no "## notify-failure" subsegment reached the daemon');
    expect(step.trace_id).toBe(TRACE_ID);
    expect(step.annotations).toMatchObject({ correlation_id: subject, ColdStart: true, Service: 'tillflow' });
    const sns = received.find((s) => s.name === 'SNS' && s.parent_id === step.id) ?? step.subsegments?.[0];
    expect(sns).toMatchObject({ name: 'SNS', namespace: 'aws', aws: { operation: 'Publish' } });
  });

  it('runs the handler untraced when Lambda gives no trace header', async () => {
    const before = received.length;
    const out = (await headerless.invoke('notify-failure', failureEvent('uploads/x.json'))) as { notified: boolean };
    expect(out.notified).toBe(true);
    expect(headerless.messages('tillflow-alerts')).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(received.slice(before).filter((s) => s.name === '## notify-failure')).toEqual([]);
    const lines = headerless.logStore
      .filterLogEvents({ logGroupName: '/aws/lambda/tillflow-notify-failure' })
      .events.map((e) => e.message);
    // The kit does not ask X-Ray for a segment it cannot have; only the traced SNS client's own X-Ray middleware says
    // once per call that the trace data is missing (in Lambda, which always gives a header, it never does).
    expect(lines.filter((l) => /Missing AWS Lambda trace data/.test(l))).toHaveLength(1);
    expect(lines.filter((l) => l.includes('"level":"ERROR"'))).toEqual([]);
  });
});
