import { InvalidEventError } from '@tillflow/core';
import type { Context } from 'aws-lambda';
import * as Type from 'typebox/type';
import { describe, expect, it } from 'vitest';
import { defineHandler } from '../src/handler';
import { MetricUnit } from '../src/observability';

const lambda = { functionName: 'kit-test', awsRequestId: 'r-1' } as Context;

const ObjectCreated = Type.Object({
  detail: Type.Object({ object: Type.Object({ key: Type.String(), size: Type.Integer({ minimum: 0 }) }) }),
  kind: Type.Enum(['created', 'deleted']),
});

function kitHandler() {
  const calls: unknown[] = [];
  const handler = defineHandler({ name: 'kit-test', config: {}, event: ObjectCreated }, async (event) => {
    calls.push(event);
    return event.detail.object.key;
  });
  return { handler, calls };
}

describe('defineHandler event', () => {
  it('gives the body an event that matches its schema', async () => {
    const { handler, calls } = kitHandler();
    const event = { detail: { object: { key: 'uploads/a.json', size: 3 } }, kind: 'created' as const };
    expect(await handler(event, lambda)).toBe('uploads/a.json');
    expect(calls).toEqual([event]);
  });

  it('refuses a malformed event before the body runs, naming each field path and what was expected', async () => {
    const { handler, calls } = kitHandler();
    const malformed = { detail: { object: { key: 7 } }, kind: 'moved' };
    const error = await handler(malformed as never, lambda).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidEventError);
    expect((error as Error).name).toBe('InvalidEventError');
    expect((error as Error).message).toContain('event.detail.object.key: expected string');
    expect((error as Error).message).toContain('event.detail.object.size: is missing');
    expect((error as Error).message).toContain('event.kind: expected one of created, deleted');
    expect(calls).toEqual([]);
  });

  it('refuses an event that is not an object at all', async () => {
    const { handler } = kitHandler();
    await expect(handler(null as never, lambda)).rejects.toThrow('event: expected object');
  });
});

describe('defineHandler metrics and error logs', () => {
  /** What the handler writes to stdout while `run` runs (Powertools writes EMF and log lines there). */
  async function stdoutOf(run: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
    const lines: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string | Uint8Array) => {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      return true;
    }) as typeof process.stdout.write;
    try {
      await run().catch(() => undefined);
    } finally {
      process.stdout.write = write;
    }
    return lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
  }

  const Event = Type.Object({ fail: Type.Boolean() });
  const handler = defineHandler({ name: 'kit-metrics', config: {}, event: Event }, async (event, { metrics }) => {
    metrics.addMetric('Things', MetricUnit.Count, 2);
    metrics.addMetric('Things', MetricUnit.Count, 3);
    if (event.fail) throw new Error('the step failed', { cause: new RangeError('the cause') });
    return 'ok';
  });

  it('flushes the metrics of an invocation in one EMF line, when the body fails too', async () => {
    for (const fail of [false, true]) {
      const emf = (await stdoutOf(() => handler({ fail }, lambda))).filter((l) => '_aws' in l);
      expect(emf, `fail: ${fail}`).toHaveLength(1);
      expect(emf[0]).toMatchObject({ service: 'tillflow', Things: [2, 3] });
    }
  });

  it('writes nothing for an invocation that added no metric', async () => {
    const quiet = defineHandler({ name: 'kit-quiet', config: {}, event: Event }, async () => 'ok');
    expect(await stdoutOf(() => quiet({ fail: false }, lambda))).toEqual([]);
  });
});
