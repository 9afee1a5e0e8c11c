import { describe, expect, it } from 'vitest';
import { daySeries } from '../src/analysis-files';
import { Env, readConfig } from '../src/config';
import { causeMessage } from '../src/errors';
import { analysisCorrelationId, dailyAnalysisExecutionName, executionArnOf } from '../src/workflows';

describe('daily-analysis names', () => {
  it('names an execution after the day and revision, the same for every starter', () => {
    expect(dailyAnalysisExecutionName('2025-10-29', 1)).toBe('2025-10-29-r1');
    expect(dailyAnalysisExecutionName('2025-10-29', 12)).toBe('2025-10-29-r12');
    expect(analysisCorrelationId({ date: '2025-10-29', revision: 2 })).toBe('2025-10-29-r2');
  });

  it('derives the execution ARN Step Functions gives a named execution', () => {
    expect(
      executionArnOf('arn:aws:states:eu-west-1:123456789012:stateMachine:tillflow-daily-analysis', '2025-10-29-r1'),
    ).toBe('arn:aws:states:eu-west-1:123456789012:execution:tillflow-daily-analysis:2025-10-29-r1');
  });
});

describe('daySeries', () => {
  it('orders earlier days oldest first and ends with the day itself, dropping a stored copy of it', () => {
    const series = daySeries(
      [
        { date: '2025-10-28', v: 1 },
        { date: '2025-10-29', v: 99 },
        { date: '2025-10-20', v: 2 },
      ],
      { date: '2025-10-29', v: 3 },
    );
    expect(series).toEqual([
      { date: '2025-10-20', v: 2 },
      { date: '2025-10-28', v: 1 },
      { date: '2025-10-29', v: 3 },
    ]);
  });
});

describe('causeMessage', () => {
  it('keeps the message of a Lambda error payload, and other causes as they are', () => {
    expect(causeMessage(JSON.stringify({ errorType: 'X', errorMessage: 'disk full', trace: ['a'] }))).toBe('disk full');
    expect(causeMessage('The task timed out')).toBe('The task timed out');
    expect(causeMessage('{"other":1}')).toBe('{"other":1}');
    expect(causeMessage(undefined)).toBe('(no cause given)');
  });
});

describe('analysis configuration', () => {
  it('accepts an IANA time zone, defaults to UTC, and names the variable of an unknown zone', () => {
    const zone = { DAILY_ANALYSIS_TIMEZONE: Env.DAILY_ANALYSIS_TIMEZONE };
    expect(readConfig(zone, { DAILY_ANALYSIS_TIMEZONE: 'Europe/Paris' })).toEqual({
      DAILY_ANALYSIS_TIMEZONE: 'Europe/Paris',
    });
    expect(readConfig(zone, {})).toEqual({ DAILY_ANALYSIS_TIMEZONE: 'UTC' });
    expect(() => readConfig(zone, { DAILY_ANALYSIS_TIMEZONE: 'Mars/Olympus' })).toThrow(
      /DAILY_ANALYSIS_TIMEZONE: "Mars\/Olympus" is not an IANA time zone/,
    );
  });

  it('defaults the insights provider to statistical and refuses any other name', () => {
    const provider = { INSIGHTS_PROVIDER: Env.INSIGHTS_PROVIDER, BEDROCK_MODEL_ID: Env.BEDROCK_MODEL_ID };
    expect(readConfig(provider, {})).toEqual({ INSIGHTS_PROVIDER: 'statistical' });
    expect(readConfig(provider, { INSIGHTS_PROVIDER: 'bedrock', BEDROCK_MODEL_ID: 'amazon.nova-pro-v1:0' })).toEqual({
      INSIGHTS_PROVIDER: 'bedrock',
      BEDROCK_MODEL_ID: 'amazon.nova-pro-v1:0',
    });
    expect(() => readConfig(provider, { INSIGHTS_PROVIDER: 'oracle' })).toThrow(/INSIGHTS_PROVIDER/);
  });

  it('requires a state machine ARN for the daily analysis', () => {
    const arn = { DAILY_ANALYSIS_STATE_MACHINE_ARN: Env.DAILY_ANALYSIS_STATE_MACHINE_ARN };
    expect(() =>
      readConfig(arn, { DAILY_ANALYSIS_STATE_MACHINE_ARN: 'arn:aws:lambda:us-east-1:1:function:x' }),
    ).toThrow(/DAILY_ANALYSIS_STATE_MACHINE_ARN/);
    const ok = 'arn:aws:states:us-east-1:000000000000:stateMachine:tillflow-daily-analysis';
    expect(readConfig(arn, { DAILY_ANALYSIS_STATE_MACHINE_ARN: ok })).toEqual({ DAILY_ANALYSIS_STATE_MACHINE_ARN: ok });
  });
});
