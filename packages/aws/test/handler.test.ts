import { InvalidEventError } from '@tillflow/core';
import type { Context } from 'aws-lambda';
import * as Type from 'typebox/type';
import { describe, expect, it } from 'vitest';
import { defineHandler } from '../src/handler';

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
