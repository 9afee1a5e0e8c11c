import type { FileEntry, FilePrefix, RejectionsResponse } from '@tillflow/core';
import { useEffect, useRef, useState } from 'preact/hooks';
import { type ApiClient, ApiRequestError } from '../api';
import { AsyncView, Badge, Card, Empty, ErrorView, Loading } from '../components';
import { bytes, count, dateTime } from '../format';
import { useApi, useAsync, useHashParam } from '../hooks';

const STORE_FILE = /^store_(\d{4})_(\d{4}-\d{2}-\d{2})\.json$/;
/** How long an upload is watched for its processing before the page says it is still waiting. */
const WATCH_MS = 180_000;
const POLL_MS = 1_000;

type UploadState =
  | { phase: 'uploading'; progress: number }
  | { phase: 'processing' }
  | { phase: 'processed'; rejectedKey: string | null; rejectedLines: number }
  | { phase: 'rejected'; rejectedKey: string; reason: string | null }
  | { phase: 'waiting' }
  | { phase: 'failed'; message: string };

interface UploadItem {
  id: number;
  name: string;
  size: number;
  state: UploadState;
}

/** The Files tab: upload store files, list uploaded, processed and rejected files, a rejected file's reasons. */
export function Files() {
  const [rejection, setRejection] = useHashParam('key');
  return (
    <div class="tab">
      <div class="toolbar">
        <h1>Files</h1>
      </div>
      <Uploader onReasons={setRejection} />
      <Listing onReasons={setRejection} />
      {rejection && <Rejections fileKey={rejection} onClose={() => setRejection('')} />}
    </div>
  );
}

function Uploader(props: { onReasons: (key: string) => void }) {
  const api = useApi();
  const [items, setItems] = useState<UploadItem[]>([]);
  const [dragging, setDragging] = useState(false);
  const nextId = useRef(1);
  const input = useRef<HTMLInputElement>(null);

  const update = (id: number, state: UploadState) =>
    setItems((all) => all.map((item) => (item.id === id ? { ...item, state } : item)));

  const start = (files: FileList | File[]) => {
    const list = [...files];
    const added = list.map((f) => ({
      id: nextId.current++,
      name: f.name,
      size: f.size,
      state: { phase: 'uploading', progress: 0 } as UploadState,
    }));
    setItems((all) => [...added, ...all]);
    list.forEach((file, i) => {
      const id = (added[i] as UploadItem).id;
      void uploadAndWatch(api, file, (state) => update(id, state));
    });
  };

  return (
    <Card title="Upload store files">
      {/* biome-ignore lint/a11y/noStaticElementInteractions: a drop target; the button inside is the keyboard's way */}
      <div
        class={`dropzone ${dragging ? 'dragging' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          e.preventDefault();
          setDragging(false);
          if (e.dataTransfer?.files.length) start(e.dataTransfer.files);
        }}
      >
        <p>
          Drop <code>store_&lt;NNNN&gt;_&lt;YYYY-MM-DD&gt;.json</code> files here, or{' '}
          <button type="button" onClick={() => input.current?.click()}>
            choose files
          </button>
        </p>
        <input
          ref={input}
          type="file"
          multiple
          accept=".json,application/json"
          data-testid="upload-input"
          class="sr-only"
          onChange={(e) => {
            const el = e.target as HTMLInputElement;
            if (el.files?.length) start(el.files);
            el.value = '';
          }}
        />
      </div>
      {items.length > 0 && (
        <ul class="uploads" data-testid="uploads">
          {items.map((item) => (
            <UploadRow key={item.id} item={item} onReasons={props.onReasons} />
          ))}
        </ul>
      )}
    </Card>
  );
}

function UploadRow({ item, onReasons }: { item: UploadItem; onReasons: (key: string) => void }) {
  const s = item.state;
  const progress = s.phase === 'uploading' ? s.progress : s.phase === 'failed' ? 0 : 1;
  return (
    <li class="upload" data-file={item.name} data-phase={s.phase}>
      <div class="upload-head">
        <span class="upload-name">{item.name}</span>
        <span class="muted">{bytes(item.size)}</span>
      </div>
      <progress max={1} value={progress} aria-label={`upload of ${item.name}`} />
      <div class="upload-status">
        {s.phase === 'uploading' && <span>Uploading… {Math.round(s.progress * 100)}%</span>}
        {s.phase === 'processing' && (
          <span>
            <span class="spinner" aria-hidden="true" /> Uploaded; processing…
          </span>
        )}
        {s.phase === 'processed' && (
          <span>
            <Badge tone="ok">processed</Badge>
            {s.rejectedLines > 0 && s.rejectedKey && (
              <>
                {' '}
                {count(s.rejectedLines)} lines rejected{' '}
                <button type="button" class="link" onClick={() => onReasons(s.rejectedKey as string)}>
                  reasons
                </button>
              </>
            )}
          </span>
        )}
        {s.phase === 'rejected' && (
          <span>
            <Badge tone="critical">rejected</Badge> {s.reason ?? 'lines were rejected'}{' '}
            <button type="button" class="link" onClick={() => onReasons(s.rejectedKey)}>
              reasons
            </button>
          </span>
        )}
        {s.phase === 'waiting' && <span>Uploaded; not processed yet (see the listings below later).</span>}
        {s.phase === 'failed' && <span class="error-text">{s.message}</span>}
      </div>
    </li>
  );
}

/**
 * Uploads the file, then watches the listings for what the pipeline made of it: a processed Parquet file (perhaps
 * with some lines rejected) or a rejection of the whole file, written after the upload began.
 */
async function uploadAndWatch(api: ApiClient, file: File, report: (state: UploadState) => void): Promise<void> {
  const began = Date.now();
  try {
    await api.upload(file, (progress) => report({ phase: 'uploading', progress }));
  } catch (error) {
    report({ phase: 'failed', message: (error as Error).message });
    return;
  }
  report({ phase: 'processing' });
  const m = STORE_FILE.exec(file.name);
  if (!m) return report({ phase: 'waiting' });
  const [, store, date] = m as unknown as [string, string, string];
  // The storage's clock and the browser's may differ a little.
  const since = began - 5_000;
  const fresh = (f: FileEntry) => Date.parse(f.last_modified) >= since;
  while (Date.now() - began < WATCH_MS) {
    await new Promise((r) => setTimeout(r, POLL_MS));
    try {
      const [processed, rejected] = await Promise.all([
        api.files({ prefix: 'processed', date, store }),
        api.files({ prefix: 'rejected', date, store }),
      ]);
      const done = processed.files.find(fresh);
      const refused = rejected.files.find(fresh);
      if (done) {
        return report({
          phase: 'processed',
          rejectedKey: refused?.key ?? null,
          rejectedLines: refused?.rejected_lines ?? 0,
        });
      }
      if (refused && refused.reason !== null) {
        return report({ phase: 'rejected', rejectedKey: refused.key, reason: refused.reason });
      }
    } catch (error) {
      if (!(error instanceof ApiRequestError) || error.status >= 500 || error.status === 0) continue;
      return report({ phase: 'failed', message: error.message });
    }
  }
  report({ phase: 'waiting' });
}

const PREFIXES: { prefix: FilePrefix; label: string }[] = [
  { prefix: 'processed', label: 'Processed' },
  { prefix: 'rejected', label: 'Rejected' },
  { prefix: 'uploads', label: 'Uploads' },
];

function Listing(props: { onReasons: (key: string) => void }) {
  const api = useApi();
  const [prefixParam, setPrefix] = useHashParam('prefix');
  const prefix: FilePrefix = PREFIXES.some((p) => p.prefix === prefixParam) ? (prefixParam as FilePrefix) : 'processed';
  const [date, setDate] = useState('');
  const [store, setStore] = useState('');
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors.at(-1);
  const validStore = /^\d{4}$/.test(store) ? store : '';
  const [page, reload] = useAsync(
    () => api.files({ prefix, date: date || undefined, store: validStore || undefined, cursor, limit: 25 }),
    [prefix, date, validStore, cursor],
  );
  const choose = (p: FilePrefix) => {
    setCursors([]);
    setPrefix(p);
  };
  return (
    <Card
      title="Stored files"
      actions={
        <button type="button" class="secondary" onClick={reload}>
          Refresh
        </button>
      }
    >
      <div class="listing-bar">
        <div class="segmented" role="tablist" aria-label="folder">
          {PREFIXES.map((p) => (
            <button
              key={p.prefix}
              type="button"
              role="tab"
              aria-selected={p.prefix === prefix}
              class={p.prefix === prefix ? 'active' : ''}
              onClick={() => choose(p.prefix)}
            >
              {p.label}
            </button>
          ))}
        </div>
        <label class="inline">
          Day{' '}
          <input
            type="date"
            value={date}
            onChange={(e) => {
              setCursors([]);
              setDate((e.target as HTMLInputElement).value);
            }}
          />
        </label>
        <label class="inline">
          Store{' '}
          <input
            class="store-filter"
            inputMode="numeric"
            placeholder="0001"
            maxLength={4}
            value={store}
            onInput={(e) => {
              setCursors([]);
              setStore((e.target as HTMLInputElement).value.trim());
            }}
          />
        </label>
      </div>
      <AsyncView value={page} what="the files" retry={reload}>
        {(p) =>
          p.files.length === 0 ? (
            <Empty>
              No {prefix} files{date || validStore ? ' for this filter' : ' yet'}.
            </Empty>
          ) : (
            <>
              <FileTable files={p.files} prefix={prefix} onReasons={props.onReasons} />
              <div class="pager">
                <button
                  type="button"
                  class="secondary"
                  disabled={cursors.length === 0}
                  onClick={() => setCursors((c) => c.slice(0, -1))}
                >
                  ‹ Previous
                </button>
                <span class="muted">Page {cursors.length + 1}</span>
                <button
                  type="button"
                  class="secondary"
                  disabled={!p.next_cursor}
                  onClick={() => p.next_cursor && setCursors((c) => [...c, p.next_cursor as string])}
                >
                  Next ›
                </button>
              </div>
            </>
          )
        }
      </AsyncView>
    </Card>
  );
}

function FileTable(props: { files: readonly FileEntry[]; prefix: FilePrefix; onReasons: (key: string) => void }) {
  const downloadable = props.prefix !== 'uploads';
  return (
    <div class="table-wrap">
      <table data-testid={`files-${props.prefix}`}>
        <thead>
          <tr>
            <th>File</th>
            <th class="hide-phone">Store</th>
            <th class="hide-phone">Day</th>
            <th class="num">Size</th>
            <th class="hide-phone">Stored</th>
            {props.prefix === 'rejected' && <th>Rejected</th>}
            <th />
          </tr>
        </thead>
        <tbody>
          {props.files.map((f) => (
            <tr key={f.key} data-row={f.key}>
              <td class="key" title={f.key}>
                {f.key.split('/').at(-1)}
              </td>
              <td class="hide-phone">{f.store_id ?? '–'}</td>
              <td class="hide-phone">{f.date ?? '–'}</td>
              <td class="num">{bytes(f.size)}</td>
              <td class="hide-phone">{dateTime(f.last_modified)}</td>
              {props.prefix === 'rejected' && (
                <td>
                  {f.reason ? <Badge tone="critical">whole file</Badge> : `${count(f.rejected_lines ?? 0)} lines`}
                </td>
              )}
              <td class="row-actions">
                {props.prefix === 'rejected' && (
                  <button type="button" class="link" onClick={() => props.onReasons(f.key)}>
                    Reasons
                  </button>
                )}
                {downloadable && <DownloadButton fileKey={f.key} />}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function DownloadButton(props: { fileKey: string }) {
  const api = useApi();
  const [error, setError] = useState('');
  return (
    <>
      <button
        type="button"
        class="link"
        onClick={async () => {
          setError('');
          try {
            const { url } = await api.downloadUrl(props.fileKey);
            window.open(url, '_blank', 'noopener');
          } catch (e) {
            setError((e as Error).message);
          }
        }}
      >
        Download
      </button>
      {error && <span class="error-text"> {error}</span>}
    </>
  );
}

function Rejections(props: { fileKey: string; onClose: () => void }) {
  const api = useApi();
  const [pages, setPages] = useState<RejectionsResponse[]>([]);
  const [more, setMore] = useState<{ loading: boolean; error?: Error }>({ loading: false });
  const [first, reload] = useAsync(async () => {
    const page = await api.rejections(props.fileKey);
    setPages([page]);
    return page;
  }, [props.fileKey]);
  const last = pages.at(-1);
  const panel = useRef<HTMLDivElement>(null);
  // The panel opens below the listings: bring it into view, where the click was is far above on a long page.
  useEffect(() => panel.current?.scrollIntoView({ block: 'start' }), [props.fileKey]);
  const loadMore = async () => {
    if (!last?.next_cursor) return;
    setMore({ loading: true });
    try {
      const page = await api.rejections(props.fileKey, last.next_cursor);
      setPages((p) => [...p, page]);
      setMore({ loading: false });
    } catch (error) {
      setMore({ loading: false, error: error as Error });
    }
  };
  return (
    <div ref={panel}>
      <Card
        title="Rejected lines"
        class="rejections"
        actions={
          <button type="button" class="secondary" onClick={props.onClose}>
            Close
          </button>
        }
      >
        <p class="muted key">{props.fileKey}</p>
        <AsyncView value={first} what="the reasons" retry={reload}>
          {(r) => (
            <div data-testid="rejections">
              <p>
                From <code>{r.source_key}</code>:
                {r.reason === null || r.lines > 0 ? (
                  <>
                    {' '}
                    <strong>{count(r.rejected)}</strong> of {count(r.lines)} lines rejected.
                  </>
                ) : null}
                {r.reason && (
                  <>
                    {' '}
                    The whole file was rejected: <strong data-testid="rejection-reason">{r.reason}</strong>
                  </>
                )}
              </p>
              {pages.flatMap((p) => p.records).length === 0 ? (
                r.reason ? null : (
                  <Empty>No rejected lines.</Empty>
                )
              ) : (
                <div class="table-wrap">
                  <table>
                    <thead>
                      <tr>
                        <th class="num">Line</th>
                        <th>Reasons</th>
                        <th>Record</th>
                      </tr>
                    </thead>
                    <tbody>
                      {pages
                        .flatMap((p) => p.records)
                        .map((rec) => (
                          <tr key={rec.line} data-row={String(rec.line)}>
                            <td class="num">{rec.line}</td>
                            <td>
                              <ul class="reasons">
                                {rec.reasons.map((reason) => (
                                  <li key={`${reason.field}:${reason.message}`}>
                                    <code>{reason.field}</code>: {reason.message}
                                  </li>
                                ))}
                              </ul>
                            </td>
                            <td>
                              <code class="record">{JSON.stringify(rec.record)}</code>
                            </td>
                          </tr>
                        ))}
                    </tbody>
                  </table>
                </div>
              )}
              {more.loading && <Loading what="more lines" />}
              {more.error && <ErrorView error={more.error} retry={loadMore} />}
              {last?.next_cursor && !more.loading && (
                <button type="button" class="secondary" onClick={loadMore}>
                  More lines
                </button>
              )}
            </div>
          )}
        </AsyncView>
      </Card>
    </div>
  );
}
