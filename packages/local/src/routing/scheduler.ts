import { randomUUID } from 'node:crypto';
import { ACCOUNT_ID, REGION, resourceName } from '../resources';
import type { TerraformSettings } from '../runtime/terraform';
import { type CronExpression, cronMatches, parseCron } from './cron';

/** A function invoked on a schedule, in the platform's `DAILY_ANALYSIS_TIMEZONE`. */
export interface Schedule {
  functionName: string;
  /** `cron(…)` as EventBridge Scheduler takes it, or five classic cron fields. */
  expression: string;
}

/**
 * The schedules Terraform deploys (infrastructure/workflows.tf): the daily cut-off, which analyses the days on which
 * some stores never reported, at `var.daily_analysis_schedule`'s default, read from infrastructure/variables.tf so
 * that both fire at the same time.
 */
export function defaultSchedules(terraform: Pick<TerraformSettings, 'defaults'>): Schedule[] {
  const expression = terraform.defaults.daily_analysis_schedule;
  if (typeof expression !== 'string') {
    throw new Error('infrastructure/variables.tf: daily_analysis_schedule needs a default cron(...) expression');
  }
  return [{ functionName: 'trigger-daily-analysis', expression }];
}

/** The schedules, their time zone, and how to invoke a function. */
export interface SchedulerOptions {
  schedules: readonly Schedule[];
  timeZone: string;
  invoke: (functionName: string, event: unknown) => Promise<unknown>;
  onError?: (functionName: string, error: Error) => void;
}

/**
 * Fires each schedule at the minutes its cron expression names, with the "Scheduled Event" an EventBridge schedule
 * rule sends. A minute missed while the platform was stopped is not caught up (neither does EventBridge).
 */
export class Scheduler {
  private readonly entries: { schedule: Schedule; cron: CronExpression }[];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: SchedulerOptions) {
    this.entries = options.schedules.map((schedule) => ({ schedule, cron: parseCron(schedule.expression) }));
  }

  start(): void {
    const wait = 60_000 - (Date.now() % 60_000);
    this.timer = setTimeout(() => {
      void this.tick(new Date(Math.floor(Date.now() / 60_000) * 60_000));
      this.start();
    }, wait);
    // The servers keep the process alive; a pending schedule alone must not.
    this.timer.unref();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Invokes every schedule due at `minute`; resolves when their invocations end. Returns the functions invoked. */
  async tick(minute: Date): Promise<string[]> {
    const due = this.entries.filter((e) => cronMatches(e.cron, minute, this.options.timeZone));
    await Promise.all(
      due.map(async ({ schedule }) => {
        try {
          await this.options.invoke(schedule.functionName, scheduledEvent(schedule.functionName, minute));
        } catch (error) {
          this.options.onError?.(schedule.functionName, error as Error);
        }
      }),
    );
    return due.map((e) => e.schedule.functionName);
  }
}

function scheduledEvent(functionName: string, minute: Date): Record<string, unknown> {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: ACCOUNT_ID,
    time: `${minute.toISOString().slice(0, 19)}Z`,
    region: REGION,
    resources: [`arn:aws:events:${REGION}:${ACCOUNT_ID}:rule/${resourceName(functionName)}`],
    detail: {},
  };
}
