/**
 * Cron expressions, evaluated at a minute's start in a time zone, as EventBridge Scheduler does. Two spellings:
 * AWS's `cron(min hour day-of-month month day-of-week year)` (day-of-week 1–7 = SUN–SAT, `?` for "any") and the
 * classic five fields `min hour day-of-month month day-of-week` (day-of-week 0–7, 0 and 7 = Sunday). Fields take
 * `*`, numbers, names (JAN, MON), ranges, lists and `/` steps; AWS's `L`, `W` and `#` are not supported.
 */
export interface CronExpression {
  source: string;
  minutes: Set<number>;
  hours: Set<number>;
  daysOfMonth: Set<number>;
  months: Set<number>;
  /** 0 = Sunday. */
  daysOfWeek: Set<number>;
  years?: Set<number>;
  /** Both day fields restricted: a day matches either (classic cron); otherwise both must match. */
  dayEither: boolean;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

/** Parses a cron expression (either spelling); throws an error naming the bad field. */
export function parseCron(source: string): CronExpression {
  const aws = /^cron\((.*)\)$/.exec(source.trim());
  const fields = (aws ? (aws[1] as string) : source).trim().split(/\s+/);
  if (fields.length !== (aws ? 6 : 5)) {
    throw new Error(`cron "${source}": expected ${aws ? 'six fields inside cron(…)' : 'five fields'}`);
  }
  const [min, hour, dom, mon, dow, year] = fields as [string, string, string, string, string, string | undefined];
  // AWS numbers the days of the week 1–7 from Sunday; classic cron 0–7 with Sunday both 0 and 7.
  const dowOffset = aws ? 1 : 0;
  const daysOfWeek = new Set(
    [...field(dow, aws ? 1 : 0, 7, DAYS, dowOffset, source)].map((d) => (aws ? d - 1 : d % 7)),
  );
  const restricted = (f: string): boolean => f !== '*' && f !== '?';
  return {
    source,
    minutes: field(min, 0, 59, [], 0, source),
    hours: field(hour, 0, 23, [], 0, source),
    daysOfMonth: field(dom, 1, 31, [], 0, source),
    months: field(mon, 1, 12, MONTHS, 1, source),
    daysOfWeek,
    ...(year !== undefined && restricted(year) ? { years: field(year, 1970, 2199, [], 0, source) } : {}),
    dayEither: restricted(dom) && restricted(dow),
  };
}

function field(text: string, min: number, max: number, names: string[], nameBase: number, source: string): Set<number> {
  const values = new Set<number>();
  const value = (token: string): number => {
    const named = names.indexOf(token.toUpperCase());
    const n = named >= 0 ? named + nameBase : Number(token);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new Error(`cron "${source}": "${token}" is out of ${min}–${max}`);
    return n;
  };
  for (const part of text.split(',')) {
    const [range, stepText] = part.split('/') as [string, string | undefined];
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new Error(`cron "${source}": bad step in "${part}"`);
    let from: number;
    let to: number;
    if (range === '*' || range === '?') {
      from = min;
      to = max;
    } else if (range.includes('-')) {
      const [a, b] = range.split('-') as [string, string];
      from = value(a);
      to = value(b);
    } else {
      from = value(range);
      to = stepText === undefined ? from : max;
    }
    if (from > to) throw new Error(`cron "${source}": empty range "${part}"`);
    for (let n = from; n <= to; n += step) values.add(n);
  }
  return values;
}

/** The wall-clock fields of an instant in a time zone. */
function zonedParts(
  date: Date,
  timeZone: string,
): {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  weekday: number;
} {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    weekday: 'short',
  }).formatToParts(date);
  const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
  return {
    year: Number(get('year')),
    month: Number(get('month')),
    day: Number(get('day')),
    hour: Number(get('hour')),
    minute: Number(get('minute')),
    weekday: DAYS.indexOf(get('weekday').toUpperCase()),
  };
}

/** True when the expression fires at the minute holding `date`, on the wall clock of `timeZone`. */
export function cronMatches(cron: CronExpression, date: Date, timeZone: string): boolean {
  const t = zonedParts(date, timeZone);
  if (!cron.minutes.has(t.minute) || !cron.hours.has(t.hour) || !cron.months.has(t.month)) return false;
  if (cron.years && !cron.years.has(t.year)) return false;
  const dom = cron.daysOfMonth.has(t.day);
  const dow = cron.daysOfWeek.has(t.weekday);
  return cron.dayEither ? dom || dow : dom && dow;
}
