import { addDays, compareText, type StoreDayFigures, ValidationError, weekday } from '@tillflow/core';
import { count, money, pct } from './format';
import { insightId } from './ids';
import type { InsightFacts } from './insight-facts.schema';
import type { Anomaly, AnomalyMetric, Severity } from './insights.schema';
import { resolveOptions, type StatisticalOptions } from './options';
import { median, robustScore, round } from './stats';

const METRICS: readonly AnomalyMetric[] = ['net_sales', 'transactions', 'avg_basket'];
const METRIC_WORDS: Record<AnomalyMetric, [noun: string, verb: string]> = {
  net_sales: ['net sales', 'are'],
  transactions: ['transactions', 'are'],
  avg_basket: ['average basket', 'is'],
};
const SEVERITY_RANK: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3 };

interface Baseline {
  basis: 'same_weekday' | 'trailing';
  days: StoreDayFigures[];
}

/**
 * Store-day figures far from what was expected, two ways:
 *
 * - **history**: each reported store's net sales, transactions and average basket against its own trailing
 *   `historyDays` (28). The baseline is the same weekday's days when there are at least `minSameWeekdayDays` (3) of
 *   them, since weekdays differ more than weeks do, else every day of the window (at least `minHistoryDays`, 7).
 * - **peers**: each store's net sales as a fraction of its own baseline median (its "level"), against the median
 *   level of the stores that day (at least `minPeers`, 4), so a store that falls while the chain holds stands out
 *   whatever its size, and a chain-wide holiday does not.
 *
 * Both use the robust z-score (median and MAD, see `robustScore`): a figure is an anomaly when |z| ≥ `zThreshold`
 * (3.5) and it deviates by at least `minDeviationPct` (10%). The z-score decides whether a figure is unusual for this
 * store; the size of the deviation decides how much it matters: severity is critical from 50%, high from 30%, medium
 * from 20%, else low. Output is ordered by severity, then store, method and metric.
 */
export function detectAnomalies(facts: InsightFacts, options: Partial<StatisticalOptions> = {}): Anomaly[] {
  const o = resolveOptions(options);
  const history = historyByStore(facts, o.historyDays);
  const anomalies: Anomaly[] = [];
  const levels: { store: StoreDayFigures; own: number }[] = [];

  for (const store of [...facts.stores].sort((a, b) => compareText(a.store_id, b.store_id))) {
    if (store.date !== facts.date) continue;
    const baseline = chooseBaseline(facts.date, history.get(store.store_id) ?? [], o);
    if (!baseline) continue;
    for (const metric of METRICS) {
      const anomaly = againstHistory(facts.date, store, metric, baseline, o);
      if (anomaly) anomalies.push(anomaly);
    }
    const own = median(baseline.days.map((d) => d.net_sales));
    if (own > 0) levels.push({ store, own });
  }

  if (levels.length >= o.minPeers) {
    for (const { store, own } of levels) {
      const others = levels.map((l) => l.store.net_sales / l.own);
      const anomaly = againstPeers(facts.date, store, own, others, o);
      if (anomaly) anomalies.push(anomaly);
    }
  }
  return anomalies.sort(
    (a, b) =>
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
      compareText(a.subject, b.subject) ||
      compareText(a.method, b.method) ||
      compareText(a.metric, b.metric),
  );
}

/** Each store's days in [date − days, date − 1]; a store-day given twice is a caller's bug, not data. */
function historyByStore(facts: InsightFacts, days: number): Map<string, StoreDayFigures[]> {
  const from = addDays(facts.date, -days);
  const byStore = new Map<string, Map<string, StoreDayFigures>>();
  for (const day of facts.storeHistory) {
    if (day.date < from || day.date >= facts.date) continue;
    let dates = byStore.get(day.store_id);
    if (!dates) {
      dates = new Map();
      byStore.set(day.store_id, dates);
    }
    if (dates.has(day.date)) throw new ValidationError(`store ${day.store_id} has two histories for ${day.date}`);
    dates.set(day.date, day);
  }
  return new Map([...byStore].map(([id, dates]) => [id, [...dates.values()]]));
}

function chooseBaseline(date: string, past: StoreDayFigures[], o: StatisticalOptions): Baseline | undefined {
  const day = weekday(date);
  const same = past.filter((d) => weekday(d.date) === day);
  if (same.length >= o.minSameWeekdayDays) return { basis: 'same_weekday', days: same };
  if (past.length >= o.minHistoryDays) return { basis: 'trailing', days: past };
  return undefined;
}

function againstHistory(
  date: string,
  store: StoreDayFigures,
  metric: AnomalyMetric,
  baseline: Baseline,
  o: StatisticalOptions,
): Anomaly | undefined {
  const value = store[metric];
  const score = robustScore(
    value,
    baseline.days.map((d) => d[metric]),
    o.relativeScaleFloor,
  );
  // A zero baseline has no meaningful percentage: a store that usually sells nothing is not measured this way.
  if (!(score.median > 0)) return undefined;
  const deviationPct = ((value - score.median) / score.median) * 100;
  if (Math.abs(score.z) < o.zThreshold || Math.abs(deviationPct) < o.minDeviationPct) return undefined;

  const fmt = metric === 'transactions' ? count : money;
  const expected = round(score.median, 2);
  const direction = value < score.median ? 'below' : 'above';
  const z = round(score.z, 2);
  const dev = round(deviationPct, 1);
  const [noun, verb] = METRIC_WORDS[metric];
  const basisWords = baseline.basis === 'same_weekday' ? 'same weekday' : 'trailing days';
  return {
    id: insightId(date, 'anomaly', 'store', store.store_id, `history:${metric}`),
    date,
    kind: 'anomaly',
    scope: 'store',
    subject: store.store_id,
    metric,
    method: 'history',
    basis: baseline.basis,
    direction,
    severity: severityOf(Math.abs(dev), o),
    value,
    expected,
    deviation_pct: dev,
    robust_z: z,
    summary:
      `Store ${store.store_id} ${noun} ${fmt(value)} ${verb} ` +
      `${pct(dev)} ${direction} the usual ${fmt(expected)} (${basisWords}, ${baseline.days.length} days; ` +
      `robust z ${z.toFixed(2)}).`,
    facts: {
      value,
      baseline_median: expected,
      baseline_mad: round(score.mad, 2),
      baseline_days: baseline.days.length,
      deviation_pct: dev,
      robust_z: z,
    },
  };
}

function againstPeers(
  date: string,
  store: StoreDayFigures,
  own: number,
  levels: readonly number[],
  o: StatisticalOptions,
): Anomaly | undefined {
  const level = store.net_sales / own;
  const score = robustScore(level, levels, o.relativeScaleFloor);
  if (!(score.median > 0)) return undefined;
  const deviationPct = (level / score.median - 1) * 100;
  if (Math.abs(score.z) < o.zThreshold || Math.abs(deviationPct) < o.minDeviationPct) return undefined;

  const dev = round(deviationPct, 1);
  const z = round(score.z, 2);
  const levelPct = round(level * 100, 1);
  const peerPct = round(score.median * 100, 1);
  const direction = deviationPct < 0 ? 'below' : 'above';
  return {
    id: insightId(date, 'anomaly', 'store', store.store_id, 'peers:net_sales'),
    date,
    kind: 'anomaly',
    scope: 'store',
    subject: store.store_id,
    metric: 'net_sales',
    method: 'peers',
    basis: 'peers',
    direction,
    severity: severityOf(Math.abs(dev), o),
    value: store.net_sales,
    // What the store would have sold at the peers' level.
    expected: round(own * score.median, 2),
    deviation_pct: dev,
    robust_z: z,
    summary:
      `Store ${store.store_id} sold at ${pct(levelPct)} of its usual level while the stores' median was ` +
      `${pct(peerPct)}: ${pct(dev)} ${direction} its peers (${levels.length} stores; robust z ${z.toFixed(2)}).`,
    facts: {
      value: store.net_sales,
      own_median: round(own, 2),
      level_pct: levelPct,
      peer_level_pct: peerPct,
      peers: levels.length,
      deviation_pct: dev,
      robust_z: z,
    },
  };
}

function severityOf(absPct: number, o: StatisticalOptions): Severity {
  if (absPct >= o.severityPct.critical) return 'critical';
  if (absPct >= o.severityPct.high) return 'high';
  if (absPct >= o.severityPct.medium) return 'medium';
  return 'low';
}
