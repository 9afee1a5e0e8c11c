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
      <SentEmails />
    </div>
  );
}

/**
 * The emails the local platform sent (`GET /local/mail`, its SES's `.eml` files): subject, recipients, time, and the
 * chosen one's HTML in a sandboxed frame. Nothing where the route does not exist (the deployed API: the messages are
 * in the recipients' mailboxes).
 */
function SentEmails() {
  const api = useApi();
  const [mail, reload] = useAsync(() => api.localMail(), []);
  const [chosen, setChosen] = useState('');
  if (mail.state === 'ok' && mail.data === null) return null;
  return (
    <Card
      title="Emails sent (local platform)"
      actions={
        <button type="button" class="secondary small" onClick={reload}>
          Refresh
        </button>
      }
    >
      <AsyncView value={mail} what="the emails" retry={reload}>
        {(m) => {
          const messages = m?.messages ?? [];
          if (messages.length === 0) return <Empty>No email has been sent yet.</Empty>;
          const shown = messages.find((x) => x.id === chosen) ?? messages[0];
          return (
            <div class="mail" data-testid="mail">
              <ul class="mail-list">
                {messages.map((x) => (
                  <li key={x.id} data-mail={x.id} class={x.id === shown?.id ? 'active' : ''}>
                    <button type="button" class="link" onClick={() => setChosen(x.id)}>
                      <span class="mail-subject">{x.subject}</span>
                    </button>
                    <span class="muted mail-meta">
                      to {[...x.to, ...x.cc].join(', ')} · {dateTime(x.date)}
                    </span>
                  </li>
                ))}
              </ul>
              {shown &&
                (shown.html ? (
                  <iframe
                    class="report-frame"
                    title={`email: ${shown.subject}`}
                    sandbox=""
                    srcdoc={shown.html}
                    data-testid="mail-html"
                  />
                ) : (
                  <pre class="report-text" data-testid="mail-text">
                    {shown.text ?? ''}
                  </pre>
                ))}
            </div>
          );
        }}
      </AsyncView>
    </Card>
  );
}
