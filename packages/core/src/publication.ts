/**
 * Publishing a day's outputs once per date and revision. A daily-analysis run may be repeated for a day and revision
 * whose outputs are already out: an operator's manual start (docs/operations.md), a second start under another name,
 * the local platform's redrive after a crash (`<date>-r<rev>-redrive<k>`, packages/local/src/lifecycle/reconcile.ts).
 * Each output keeps a durable marker on the day status item (`DAY#<date> / STATUS`), and the decision below is taken
 * on it before anything is published.
 */

/** The outputs of a day's analysis that must not go out twice for the same revision. */
export type PublicationOutput =
  | 'report'
  /** The report as an HTML email (SES), marked apart from the SNS report so that one's failure does not resend the other. */
  | 'report_email'
  | 'export'
  | 'no_data_notice'
  | 'partial_failure_notice';

/** What the day status holds about one output. */
export interface PublicationMarker {
  /** The latest revision whose output was published. */
  publishedRevision?: number;
  /**
   * A run publishing the output now, or one that died doing so. `leaseUntil` (epoch ms) is the end of the claiming
   * invocation's time (its Lambda timeout): after it, the claimant cannot still be running.
   */
  claim?: { revision: number; token: string; leaseUntil: number };
}

/**
 * What to do about an output for `revision`:
 * - `publish`: nobody published it nor holds a live claim; `takeover` names the expired claim of a run that died
 *   between its claim and its completion, which is replaced;
 * - `skip`: this revision or a later one is published (`published`, `superseded`), or a later revision holds a live
 *   claim (`superseded`): publishing now would repeat an output or put an older one after a newer one;
 * - `wait`: a live claim of this revision (another run of it is publishing) or of an earlier one (which must land
 *   first). The caller fails as retryable, and a retry decides again once the claim is completed or expired.
 */
export type PublicationDecision =
  | { kind: 'publish'; takeover?: { token: string; revision: number } }
  | { kind: 'skip'; reason: 'published' | 'superseded'; revision: number }
  | { kind: 'wait'; revision: number; leaseUntil: number };

/** The decision for `revision` at `now` (epoch ms), from the output's marker. */
export function decidePublication(marker: PublicationMarker, revision: number, now: number): PublicationDecision {
  const published = marker.publishedRevision ?? 0;
  if (published >= revision) {
    return { kind: 'skip', reason: published === revision ? 'published' : 'superseded', revision: published };
  }
  const claim = marker.claim;
  if (claim && claim.leaseUntil > now) {
    return claim.revision > revision
      ? { kind: 'skip', reason: 'superseded', revision: claim.revision }
      : { kind: 'wait', revision: claim.revision, leaseUntil: claim.leaseUntil };
  }
  return claim ? { kind: 'publish', takeover: { token: claim.token, revision: claim.revision } } : { kind: 'publish' };
}
