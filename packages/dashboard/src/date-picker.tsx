import type { DateEntry } from '@tillflow/core';
import { longDate } from './format';

/**
 * Picks a business day: a calendar input bounded by the analysed days, and previous/next buttons that step through
 * the analysed days only. A day without analysis can still be typed; the API's 404 then lists the nearest days.
 */
export function DatePicker(props: {
  dates: readonly DateEntry[];
  value: string;
  onChange: (date: string) => void;
  label?: string;
}) {
  const days = props.dates.map((d) => d.date).sort();
  const i = days.indexOf(props.value);
  const previous = i > 0 ? days[i - 1] : undefined;
  const next = i >= 0 && i < days.length - 1 ? days[i + 1] : undefined;
  return (
    <div class="date-picker">
      <button
        type="button"
        class="secondary icon"
        aria-label="previous analysed day"
        disabled={!previous}
        onClick={() => previous && props.onChange(previous)}
      >
        ‹
      </button>
      <label>
        <span class="sr-only">{props.label ?? 'Business day'}</span>
        <input
          type="date"
          value={props.value}
          min={days[0]}
          max={days.at(-1)}
          onChange={(e) => {
            const value = (e.target as HTMLInputElement).value;
            if (value) props.onChange(value);
          }}
        />
      </label>
      <button
        type="button"
        class="secondary icon"
        aria-label="next analysed day"
        disabled={!next}
        onClick={() => next && props.onChange(next)}
      >
        ›
      </button>
      {props.value && <span class="muted date-long">{longDate(props.value)}</span>}
    </div>
  );
}
