import type { DatesResponse, QualityResponse, UploadQualityRecord } from '@tillflow/core';
import { AsyncView, Badge, Card, Empty, Kpi, SortableTable, storeName } from '../components';
import { DatePicker } from '../date-picker';
import { count, dateTime } from '../format';
import { type Async, useApi, useAsync, useHashParam } from '../hooks';

/**
 * The Quality tab: the day's data quality as `GET /quality` answers it (docs/operations.md "Data quality"): lines
 * accepted and rejected and why, duplicate transaction ids within and across files, store-prefix mismatches,
 * corrections, late and missing stores, and every upload of the day.
 */
export function Quality(props: { dates: Async<DatesResponse> }) {
  const api = useApi();
  const [date, setDate] = useHashParam('date');
  const dates = props.dates.state === 'ok' ? props.dates.data.dates : [];
  const day = date || (props.dates.state === 'ok' ? (props.dates.data.latest ?? '') : '');
  const [quality, reload] = useAsync(() => (day ? api.quality(day) : Promise.resolve(null)), [day]);
  return (
    <div class="tab">
      <div class="toolbar">
        <h1>Data quality</h1>
        <DatePicker dates={dates} value={day} onChange={setDate} />
      </div>
      <AsyncView value={props.dates} what="the analysed days">
        {() => (
          <AsyncView value={quality} what="the day's data quality" retry={reload} onDate={setDate}>
            {(q) => (q === null ? <Empty>No day has been uploaded yet.</Empty> : <QualityDay q={q} />)}
          </AsyncView>
        )}
      </AsyncView>
    </div>
  );
}

/** The share of lines rejected, to two decimals: one bad line in a few thousand is not 0.0%. */
function rejectedShare(rejected: number, lines: number): string {
  return lines === 0 ? 'no lines' : `${((rejected / lines) * 100).toFixed(2)}% of lines`;
}

function QualityDay({ q }: { q: QualityResponse }) {
  const t = q.totals;
  const cross = q.lake?.cross_store_duplicates;
  return (
    <>
      <div class="kpis" data-testid="quality-kpis">
        <Kpi name="lines" label="Lines" value={count(t.lines)} note={`${count(t.uploads)} uploads`} />
        <Kpi
          name="rejected"
          label="Lines rejected"
          value={count(t.rejected)}
          note={rejectedShare(t.rejected, t.lines)}
        />
        <Kpi name="duplicates" label="Duplicate ids in a file" value={count(t.duplicate_transactions)} />
        <Kpi
          name="cross_store"
          label="Ids in two stores' files"
          value={cross === undefined ? '—' : count(cross.transactions)}
          note={cross === undefined ? 'not analysed yet' : `analysis r${q.lake?.revision}`}
        />
        <Kpi
          name="prefix"
          label="Store prefix mismatches"
          value={count(t.prefix_mismatches.transactions)}
          note={`${count(t.prefix_mismatches.lines)} lines`}
        />
        <Kpi name="corrections" label="Corrections" value={count(t.corrections)} />
      </div>
      <div class="grid two">
        <Card title="Stores">
          <StoreStatus q={q} />
        </Card>
        <Card title={`Rejection reasons (${t.reasons.length})`}>
          {t.reasons.length === 0 ? (
            <Empty>No line was rejected.</Empty>
          ) : (
            <SortableTable
              rows={t.reasons}
              rowKey={(r) => `${r.field}/${r.rule}`}
              testId="quality-reasons"
              initialSort={{ key: 'lines', descending: true }}
              columns={[
                { key: 'field', label: 'Field', value: (r) => r.field },
                { key: 'rule', label: 'Rule', value: (r) => r.rule },
                { key: 'lines', label: 'Lines', value: (r) => r.lines, numeric: true, render: (r) => count(r.lines) },
              ]}
            />
          )}
        </Card>
      </div>
      {cross && cross.examples.length > 0 && (
        <Card title={`Transaction ids in more than one store's file (${count(cross.transactions)})`}>
          <ul data-testid="quality-cross">
            {cross.examples.map((e) => (
              <li key={e.transaction_id}>
                <code>{e.transaction_id}</code> in {e.stores.map((s) => storeName(s)).join(' and ')} ({count(e.lines)}{' '}
                lines)
              </li>
            ))}
          </ul>
        </Card>
      )}
      <Card title={`Uploads (${q.uploads.length})`}>
        <SortableTable
          rows={q.uploads}
          rowKey={(u) => `${u.store_id}/${u.uploaded_at}/${u.etag}`}
          testId="quality-uploads"
          columns={UPLOAD_COLUMNS}
        />
      </Card>
    </>
  );
}

function StoreStatus({ q }: { q: QualityResponse }) {
  const s = q.stores;
  return (
    <dl class="status" data-testid="quality-stores">
      <dt>Reported</dt>
      <dd>
        {s.reported.length} of {s.expected.length} expected
      </dd>
      <dt>Missing</dt>
      <dd>
        {s.missing.length === 0
          ? 'none'
          : s.missing.map((m) => (
              <Badge key={m} tone="high">
                {m}
              </Badge>
            ))}
      </dd>
      <dt>Late</dt>
      <dd>
        {s.late.length === 0
          ? 'none'
          : s.late.map((l) => (
              <span key={l.store_id}>
                <Badge tone="medium">{l.store_id}</Badge> {dateTime(l.first_upload_at)}{' '}
              </span>
            ))}
      </dd>
      {s.unexpected.length > 0 && (
        <>
          <dt>Not expected</dt>
          <dd>{s.unexpected.join(', ')}</dd>
        </>
      )}
      <dt>Analysis</dt>
      <dd>{q.analysis ? `claimed ${dateTime(q.analysis.claimed_at)}, revision ${q.analysis.revision}` : 'not yet'}</dd>
    </dl>
  );
}

const STATUS_TONE = { processed: 'ok', stale: 'low', rejected: 'high' } as const;

const UPLOAD_COLUMNS = [
  { key: 'store', label: 'Store', value: (u: UploadQualityRecord) => u.store_id },
  {
    key: 'at',
    label: 'Uploaded',
    value: (u: UploadQualityRecord) => u.uploaded_at,
    render: (u: UploadQualityRecord) => dateTime(u.uploaded_at),
  },
  {
    key: 'status',
    label: 'Status',
    value: (u: UploadQualityRecord) => u.status,
    render: (u: UploadQualityRecord) => (
      <>
        <Badge tone={STATUS_TONE[u.status]}>{u.status}</Badge>
        {u.replaced && <span class="muted"> correction</span>}
      </>
    ),
  },
  { key: 'lines', label: 'Lines', value: (u: UploadQualityRecord) => u.lines, numeric: true },
  { key: 'rejected', label: 'Rejected', value: (u: UploadQualityRecord) => u.rejected, numeric: true },
  {
    key: 'duplicates',
    label: 'Duplicate ids',
    value: (u: UploadQualityRecord) => u.duplicate_transactions.transactions,
    numeric: true,
  },
  {
    key: 'prefix',
    label: 'Prefix mismatches',
    value: (u: UploadQualityRecord) => u.prefix_mismatches.transactions,
    numeric: true,
  },
  {
    key: 'reason',
    label: 'Note',
    value: (u: UploadQualityRecord) => u.reason ?? (u.replaced ? `replaced ${dateTime(u.replaced.uploaded_at)}` : ''),
  },
];
