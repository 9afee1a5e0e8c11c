import {
  dayStatusKey,
  decidePublication,
  type PublicationMarker,
  type PublicationOutput,
  TillflowError,
} from '@tillflow/core';
import type { Context } from 'aws-lambda';
import { documentClient, isConditionalCheckFailed } from './clients/dynamodb';
import type { AnalysisRef } from './workflows';

/**
 * Another run holds a live claim on the output (the same revision publishing now, or an earlier revision that must
 * land first). Named apart from `TransientError` so that daily-analysis retries it for as long as a claim can live
 * (the claimant's Lambda timeout), not with the short backoff of a throttle.
 */
export class PublicationInProgress extends TillflowError {
  // A literal: the bundles are minified, and a name taken from the class would not be the one the ASL retries.
  override readonly name: string = 'PublicationInProgress';
  constructor(message: string) {
    super('PUBLICATION_IN_PROGRESS', message);
  }
}

/** Who publishes and for how long its claim holds: see {@link publicationLease}. */
export interface PublicationLease {
  /** The sales table, which holds the day status item and its markers. */
  table: string;
  /** Unique to the invocation: the claim's owner. */
  token: string;
  /** How long the claim holds from now, in ms. */
  leaseMs: number;
}

/** Margin added to the invocation's remaining time, for clock skew between Lambda and DynamoDB's callers. */
const LEASE_MARGIN_MS = 5_000;

/**
 * The lease of a publishing invocation: its request id as the claim's owner, and the claim held until the invocation
 * must have ended (its remaining time, bounded by the Lambda timeout, plus a margin). After that, a claim never
 * completed belongs to a dead invocation and may be taken over.
 */
export function publicationLease(table: string, lambda: Pick<Context, 'awsRequestId' | 'getRemainingTimeInMillis'>) {
  return { table, token: lambda.awsRequestId, leaseMs: lambda.getRemainingTimeInMillis() + LEASE_MARGIN_MS };
}

/** What {@link publishOnce} did. */
export type Publication<T> =
  | { status: 'published'; value: T; tookOver: boolean }
  | { status: 'skipped'; reason: 'published' | 'superseded'; revision: number };

/** The day status attributes of one output's marker. */
function markerNames(output: PublicationOutput) {
  return {
    '#pub': `${output}_published_revision`,
    '#tok': `${output}_claim_token`,
    '#rev': `${output}_claim_revision`,
    '#until': `${output}_claim_until`,
  };
}

async function readMarker(table: string, date: string, output: PublicationOutput): Promise<PublicationMarker> {
  const [{ GetCommand }, documents] = await Promise.all([import('@aws-sdk/lib-dynamodb'), documentClient()]);
  const names = markerNames(output);
  const out = await documents.send(
    new GetCommand({
      TableName: table,
      Key: dayStatusKey(date),
      ProjectionExpression: Object.keys(names).join(', '),
      ExpressionAttributeNames: names,
      ConsistentRead: true,
    }),
  );
  const item = out.Item ?? {};
  const num = (name: string) => (typeof item[name] === 'number' ? (item[name] as number) : undefined);
  const published = num(names['#pub']);
  const token = item[names['#tok']];
  return {
    ...(published === undefined ? {} : { publishedRevision: published }),
    ...(typeof token === 'string'
      ? { claim: { token, revision: num(names['#rev']) ?? 0, leaseUntil: num(names['#until']) ?? 0 } }
      : {}),
  };
}

/** Sends a conditional update of one output's marker; false when its condition failed. */
async function updateMarker(
  table: string,
  date: string,
  output: PublicationOutput,
  update: { expression: string; condition: string; values: Record<string, unknown> },
): Promise<boolean> {
  const [{ UpdateCommand }, documents] = await Promise.all([import('@aws-sdk/lib-dynamodb'), documentClient()]);
  try {
    await documents.send(
      new UpdateCommand({
        TableName: table,
        Key: dayStatusKey(date),
        UpdateExpression: update.expression,
        ConditionExpression: update.condition,
        // Only the names the expressions use: DynamoDB refuses unused ones.
        ExpressionAttributeNames: Object.fromEntries(
          Object.entries(markerNames(output)).filter(([name]) =>
            `${update.expression} ${update.condition}`.includes(name),
          ),
        ),
        ExpressionAttributeValues: update.values,
      }),
    );
    return true;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return false;
    throw error;
  }
}

/**
 * Runs `publish` (an SNS message, an export) at most once per date, revision and output, with a durable marker on the
 * day status item: claim, publish, then record the revision as published.
 *
 * Why claim first: the claim is a conditional write, so of two runs of the same revision (a manual start while the
 * claimed one publishes, a Step Functions retry) exactly one publishes and the other waits
 * ({@link PublicationInProgress}) and then skips. Publishing first and recording after would let both publish. The
 * claim holds until its invocation must have ended ({@link publicationLease}); a claim never completed (the
 * invocation timed out, or the platform died) is taken over after that, so a redrive still publishes. An error thrown
 * by `publish` releases the claim at once, so that the step's retry publishes without waiting. What remains is a crash
 * after SNS accepted the message and before the completion: the takeover then publishes a second time (SNS standard
 * topics have no deduplication), which the order keeps to that one call's window.
 *
 * A revision already published, or superseded by a later one, is skipped without calling `publish`.
 */
export async function publishOnce<T>(
  lease: PublicationLease,
  ref: AnalysisRef,
  output: PublicationOutput,
  publish: () => Promise<T>,
): Promise<Publication<T>> {
  const now = Date.now();
  const decision = decidePublication(await readMarker(lease.table, ref.date, output), ref.revision, now);
  if (decision.kind === 'skip') return { status: 'skipped', reason: decision.reason, revision: decision.revision };
  if (decision.kind === 'wait') {
    throw new PublicationInProgress(
      `the ${output} of ${ref.date} is being published for revision ${decision.revision} by another run, ` +
        `whose claim holds until ${new Date(decision.leaseUntil).toISOString()}`,
    );
  }
  const claimed = await updateMarker(lease.table, ref.date, output, {
    expression: 'SET #tok = :tok, #rev = :rev, #until = :until',
    condition: `(attribute_not_exists(#pub) OR #pub < :rev) AND ${decision.takeover ? '#tok = :seen' : 'attribute_not_exists(#tok)'}`,
    values: {
      ':tok': lease.token,
      ':rev': ref.revision,
      ':until': now + lease.leaseMs,
      ...(decision.takeover ? { ':seen': decision.takeover.token } : {}),
    },
  });
  if (!claimed) {
    throw new PublicationInProgress(`the ${output} of ${ref.date} was claimed by another run at the same moment`);
  }
  let value: T;
  try {
    value = await publish();
  } catch (error) {
    await updateMarker(lease.table, ref.date, output, {
      expression: 'REMOVE #tok, #rev, #until',
      condition: '#tok = :tok',
      values: { ':tok': lease.token },
    });
    throw error;
  }
  // False only if the claim was taken over, i.e. this invocation outlived its own lease: it published all the same.
  await updateMarker(lease.table, ref.date, output, {
    expression: 'SET #pub = :rev REMOVE #tok, #rev, #until',
    condition: '#tok = :tok',
    values: { ':tok': lease.token, ':rev': ref.revision },
  });
  return { status: 'published', value, tookOver: decision.kind === 'publish' && decision.takeover !== undefined };
}
