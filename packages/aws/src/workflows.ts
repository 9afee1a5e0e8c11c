import { BusinessDate } from '@tillflow/core';
import type { Static } from 'typebox';
import * as Type from 'typebox/type';
import { sfnClient } from './clients/sfn';

export interface StartedExecution {
  executionArn: string;
  /**
   * False when Step Functions refused the name as taken (ExecutionAlreadyExists), so this call started nothing. A
   * repeat with the same input while the first execution still runs is answered by Step Functions as a start, with
   * the first execution's ARN: true, yet still one execution.
   */
  started: boolean;
}

/**
 * Starts an execution named `name`. Step Functions keeps an execution's name for 90 days, so a deterministic name
 * makes the start idempotent: a second start of the same name (a retry, a racing duplicate) is either answered with
 * the running execution or fails with ExecutionAlreadyExists, which here means the work is under way or done, and is
 * a success.
 */
export async function startExecution(stateMachineArn: string, name: string, input: unknown): Promise<StartedExecution> {
  try {
    const { StartExecutionCommand } = await import('@aws-sdk/client-sfn');
    const out = await (await sfnClient()).send(
      new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }),
    );
    return { executionArn: out.executionArn ?? executionArnOf(stateMachineArn, name), started: true };
  } catch (error) {
    // By name, which the SDK gives its ExecutionAlreadyExists class: no import of the SDK module to check.
    if ((error as Error).name === 'ExecutionAlreadyExists') {
      return { executionArn: executionArnOf(stateMachineArn, name), started: false };
    }
    throw error;
  }
}

/** `arn:…:stateMachine:<machine>` + name → `arn:…:execution:<machine>:<name>`, as Step Functions names it. */
export function executionArnOf(stateMachineArn: string, name: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
}

/** Why a day's analysis was started. */
export type AnalysisReason = 'all-stores-reported' | 'reanalysis' | 'scheduled-cutoff' | 'manual';

/** Which analysis a daily-analysis step works on: every step's event carries it (the schema of get-store-summaries'). */
export const AnalysisRef = Type.Object({
  /** The business date, `YYYY-MM-DD`. */
  date: BusinessDate,
  /** 1 for the first analysis of the day, then one more for each re-analysis. */
  revision: Type.Integer({ minimum: 1 }),
});
export type AnalysisRef = Static<typeof AnalysisRef>;

/** A step's event after get-store-summaries: the analysis and the key of its facts document. */
export const FactsRef = Type.Object({ ...AnalysisRef.properties, factsKey: Type.String({ minLength: 1 }) });
export type FactsRef = Static<typeof FactsRef>;

/**
 * What an insight branch of daily-analysis (detect-anomalies, analyze-trends) hands on: the key of its result, or,
 * from the branch's Catch, the error that stopped it, so that the next step can fall back instead of failing the day.
 */
export const InsightStepOutcome = Type.Union([
  Type.Object({ status: Type.Literal('ok'), key: Type.String({ minLength: 1 }), count: Type.Integer({ minimum: 0 }) }),
  Type.Object({ status: Type.Literal('failed'), key: Type.Null(), error: Type.String(), cause: Type.String() }),
]);
export type InsightStepOutcome = Static<typeof InsightStepOutcome>;

/** The input of the daily-analysis workflow. */
export interface DailyAnalysisInput extends AnalysisRef {
  reason: AnalysisReason;
}

/** `<date>-r<revision>`: one execution per day and revision, whoever starts it. */
export function dailyAnalysisExecutionName(date: string, revision: number): string {
  return `${date}-r${revision}`;
}

/** The correlation id of every log line of a daily-analysis step: its execution name. */
export function analysisCorrelationId(ref: AnalysisRef): string {
  return dailyAnalysisExecutionName(ref.date, ref.revision);
}

/**
 * Starts the daily-analysis workflow for a day's revision under its deterministic name (see startExecution): however
 * many callers race or retry, each revision of a day runs once.
 */
export async function startDailyAnalysis(
  stateMachineArn: string,
  input: DailyAnalysisInput,
): Promise<StartedExecution & { name: string }> {
  const name = dailyAnalysisExecutionName(input.date, input.revision);
  return { name, ...(await startExecution(stateMachineArn, name, input)) };
}
