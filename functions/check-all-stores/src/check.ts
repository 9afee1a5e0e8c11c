import {
  type AnalysisReason,
  claimDailyAnalysis,
  type DayStatus,
  recordStoreReported,
  requestReanalysis,
  startDailyAnalysis,
} from '@tillflow/aws';
import type { CheckStoresEvent } from './event';

export interface CheckResult {
  date: string;
  storeId: string;
  /** Expected stores that have reported. */
  reported: number;
  expected: number;
  missing: string[];
  /** This upload holds the day's analysis claim (exactly one claimant per day). */
  claimed: boolean;
  /** This upload asked for a re-analysis of a day already claimed. */
  reanalysis: boolean;
  revision?: number;
  /** The daily-analysis execution this upload started (or found already started under its name). */
  execution?: { name: string; started: boolean };
}

/** What to do about the day's analysis after recording the store (see `decideAnalysis`). */
export type AnalysisDecision =
  | { kind: 'none' }
  | { kind: 'claim' }
  | { kind: 'reanalyse' }
  | { kind: 'resume'; revision: number; reason: AnalysisReason; claimed: boolean };

/**
 * The decision, from the day's status after this store was recorded and who this upload is (`<key>#<etag>`):
 *
 * - the day was claimed, and the claim or the latest re-analysis request is this upload's own: an earlier attempt of
 *   this very upload got that far and then failed, most likely starting the workflow, so `resume` starts the recorded
 *   revision again (its execution name makes that a no-op if the start had gone through);
 * - the day was claimed and this upload corrects a store's figures, or brings a store that had not reported when the
 *   day was analysed: `reanalyse` under a new revision;
 * - the day was not claimed and every expected store has reported: `claim` (the conditional write picks one winner);
 * - otherwise nothing.
 */
export function decideAnalysis(
  status: DayStatus,
  self: string,
  change: { replaced: boolean; firstReport: boolean },
  missing: readonly string[],
): AnalysisDecision {
  if (status.analysis_claimed_at) {
    const revision = status.analysis_revision ?? 1;
    if (status.reanalysis_requested_by === self)
      return { kind: 'resume', revision, reason: 'reanalysis', claimed: false };
    if (status.analysis_claimed_by === self) {
      return { kind: 'resume', revision, reason: revision === 1 ? 'all-stores-reported' : 'reanalysis', claimed: true };
    }
    return change.replaced || change.firstReport ? { kind: 'reanalyse' } : { kind: 'none' };
  }
  return missing.length === 0 ? { kind: 'claim' } : { kind: 'none' };
}

/**
 * Records the store as reported for the date, then claims, resumes or asks again for the day's analysis (see
 * `decideAnalysis`) and starts it as `<date>-r<revision>` on `stateMachineArn`. A start that fails throws, so the
 * workflow retries this step, and the retry finds its own claim and starts again.
 */
export async function checkAllStores(
  event: CheckStoresEvent,
  table: string,
  expectedStores: string[],
  stateMachineArn: string,
): Promise<CheckResult> {
  const { status, firstReport } = await recordStoreReported(table, event.date, event.storeId, event.eventTime);
  const reported = new Set(status.reported_stores);
  const missing = expectedStores.filter((s) => !reported.has(s));
  const base = {
    date: event.date,
    storeId: event.storeId,
    reported: expectedStores.length - missing.length,
    expected: expectedStores.length,
    missing,
  };
  const self = `${event.sourceKey}#${event.etag}`;
  const decision = decideAnalysis(status, self, { replaced: event.replaced, firstReport }, missing);
  const start = async (revision: number, reason: AnalysisReason) => {
    const started = await startDailyAnalysis(stateMachineArn, { date: event.date, revision, reason });
    return { name: started.name, started: started.started };
  };

  switch (decision.kind) {
    case 'none':
      return { ...base, claimed: false, reanalysis: false };
    case 'resume': {
      const execution = await start(decision.revision, decision.reason);
      return {
        ...base,
        claimed: decision.claimed,
        reanalysis: !decision.claimed,
        revision: decision.revision,
        execution,
      };
    }
    case 'reanalyse': {
      const revision = await requestReanalysis(table, event.date, event.eventTime, self);
      return { ...base, claimed: false, reanalysis: true, revision, execution: await start(revision, 'reanalysis') };
    }
    case 'claim': {
      if (!(await claimDailyAnalysis(table, event.date, event.eventTime, self))) {
        return { ...base, claimed: false, reanalysis: false };
      }
      return {
        ...base,
        claimed: true,
        reanalysis: false,
        revision: 1,
        execution: await start(1, 'all-stores-reported'),
      };
    }
  }
}
