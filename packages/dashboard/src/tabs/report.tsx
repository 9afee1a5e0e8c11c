import type { DatesResponse } from '@tillflow/core';
import { useState } from 'preact/hooks';
import { AsyncView, Card, Empty } from '../components';
import { DatePicker } from '../date-picker';
import { dateTime } from '../format';
import { type Async, useApi, useAsync, useHashParam } from '../hooks';

/** The Report tab: the day's report as it was sent, as HTML (sandboxed: no script runs) or as the text e-mail. */
export function Report(props: { dates: Async<DatesResponse> }) {
  const api = useApi();
  const [date, setDate] = useHashParam('date');
  const [form, setForm] = useState<'html' | 'text'>('html');
  const dates = props.dates.state === 'ok' ? props.dates.data.dates : [];
  const day = date || (props.dates.state === 'ok' ? (props.dates.data.latest ?? '') : '');
  const [report, reload] = useAsync(() => (day ? api.report(day) : Promise.resolve(null)), [day]);
  return (
    <div class="tab">
      <div class="toolbar">
        <h1>Report</h1>
        <DatePicker dates={dates} value={day} onChange={setDate} />
      </div>
      <AsyncView value={props.dates} what="the analysed days">
        {() => (
          <AsyncView value={report} what="the report" retry={reload} onDate={setDate}>
            {(r) =>
              r === null ? (
                <Empty>No day has been analysed yet, so no report was sent.</Empty>
              ) : (
                <Card
                  title={`Daily report, ${r.date}`}
                  actions={
                    <div class="segmented">
                      <button
                        type="button"
                        class={form === 'html' ? 'active' : ''}
                        aria-pressed={form === 'html'}
                        onClick={() => setForm('html')}
                      >
                        HTML
                      </button>
                      <button
                        type="button"
                        class={form === 'text' ? 'active' : ''}
                        aria-pressed={form === 'text'}
                        onClick={() => setForm('text')}
                      >
                        Text
                      </button>
                    </div>
                  }
                >
                  <p class="muted">
                    Sent {dateTime(r.last_modified)} · kept as <code>{form === 'html' ? r.html_key : r.text_key}</code>
                  </p>
                  {form === 'html' ? (
                    <iframe
                      class="report-frame"
                      title={`report of ${r.date}`}
                      sandbox=""
                      srcdoc={r.html}
                      data-testid="report-html"
                    />
                  ) : (
                    <pre class="report-text" data-testid="report-text">
                      {r.text}
                    </pre>
                  )}
                </Card>
              )
            }
          </AsyncView>
        )}
      </AsyncView>
    </div>
  );
}
