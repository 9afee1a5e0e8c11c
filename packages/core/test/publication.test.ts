import { describe, expect, it } from 'vitest';
import { decidePublication } from '../src/publication';

const now = 1_000_000;
const live = (revision: number) => ({ revision, token: `t${revision}`, leaseUntil: now + 1 });
const expired = (revision: number) => ({ revision, token: `t${revision}`, leaseUntil: now });

describe('decidePublication', () => {
  it('publishes an output nobody published or claimed', () => {
    expect(decidePublication({}, 1, now)).toEqual({ kind: 'publish' });
    expect(decidePublication({ publishedRevision: 1 }, 2, now)).toEqual({ kind: 'publish' });
  });

  it('skips a revision already published, and one older than the published revision', () => {
    expect(decidePublication({ publishedRevision: 2 }, 2, now)).toEqual({
      kind: 'skip',
      reason: 'published',
      revision: 2,
    });
    expect(decidePublication({ publishedRevision: 2 }, 1, now)).toEqual({
      kind: 'skip',
      reason: 'superseded',
      revision: 2,
    });
  });

  it('waits for a live claim of the same or an earlier revision, and skips under a live claim of a later one', () => {
    expect(decidePublication({ claim: live(1) }, 1, now)).toEqual({ kind: 'wait', revision: 1, leaseUntil: now + 1 });
    expect(decidePublication({ claim: live(1) }, 2, now)).toEqual({ kind: 'wait', revision: 1, leaseUntil: now + 1 });
    expect(decidePublication({ claim: live(3) }, 2, now)).toEqual({ kind: 'skip', reason: 'superseded', revision: 3 });
  });

  it('takes over a claim whose lease has ended, unless the revision was published meanwhile', () => {
    expect(decidePublication({ claim: expired(1) }, 1, now)).toEqual({
      kind: 'publish',
      takeover: { token: 't1', revision: 1 },
    });
    expect(decidePublication({ publishedRevision: 1, claim: expired(1) }, 1, now)).toMatchObject({ kind: 'skip' });
  });
});
