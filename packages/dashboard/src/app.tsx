import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiClient } from './api';
import { type DashboardConfig, storeApiKey, storedApiKey } from './config';
import { ApiContext, useAsync } from './hooks';
import { lazy } from './lazy';
import { Files } from './tabs/files';
import { Overview } from './tabs/overview';
import { Quality } from './tabs/quality';
import { Report } from './tabs/report';
import { StoreComparison } from './tabs/stores';
import { Trends } from './tabs/trends';

const Marketplace = lazy(() => import('./tabs/marketplace').then((m) => m.Marketplace));
const Jobs = lazy(() => import('./tabs/jobs').then((m) => m.Jobs));

const TABS = [
  { id: 'overview', label: 'Overview', short: 'Overview' },
  { id: 'trends', label: 'Trends', short: 'Trends' },
  { id: 'stores', label: 'Store comparison', short: 'Stores' },
  { id: 'files', label: 'Files', short: 'Files' },
  { id: 'marketplace', label: 'Marketplace', short: 'Market' },
  { id: 'jobs', label: 'Jobs', short: 'Jobs' },
  { id: 'quality', label: 'Quality', short: 'Quality' },
  { id: 'report', label: 'Report', short: 'Report' },
] as const;
type TabId = (typeof TABS)[number]['id'];

function currentTab(): TabId {
  const id = window.location.hash.replace(/^#\/?/, '').split('?')[0];
  return TABS.some((t) => t.id === id) ? (id as TabId) : 'overview';
}

/** The dashboard: a tab bar (in the URL's hash, so a static host needs no rewrites) and the chosen tab. */
export function App(props: { config: DashboardConfig }) {
  const api = useMemo(() => new ApiClient(props.config), [props.config]);
  const [tab, setTab] = useState<TabId>(currentTab);
  const [keyVersion, setKeyVersion] = useState(0);
  useEffect(() => {
    const onChange = () => setTab(currentTab());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  // The analysed days and the stores, shared by the tabs' pickers; loaded again when the API key changes.
  const [dates] = useAsync(() => api.dates(), [keyVersion]);
  const [stores] = useAsync(() => api.stores(), [keyVersion]);
  const go = (id: TabId) => {
    // Keep the chosen day across tabs; the other parameters belong to their tab.
    const date = new URLSearchParams(window.location.hash.split('?')[1] ?? '').get('date');
    window.location.hash = `#/${id}${date ? `?date=${date}` : ''}`;
  };
  return (
    <ApiContext.Provider value={api}>
      <header class="top">
        <div class="brand">
          <span class="logo" aria-hidden="true">
            ▤
          </span>{' '}
          Tillflow
        </div>
        <nav class="tabs" aria-label="sections">
          {TABS.map((t) => (
            <a
              key={t.id}
              href={`#/${t.id}`}
              class={t.id === tab ? 'active' : ''}
              aria-current={t.id === tab ? 'page' : undefined}
              onClick={(e) => {
                e.preventDefault();
                go(t.id);
              }}
            >
              <span class="label-long">{t.label}</span>
              <span class="label-short">{t.short}</span>
            </a>
          ))}
        </nav>
        <ApiKey onChange={() => setKeyVersion((v) => v + 1)} />
      </header>
      <main key={`${tab}:${keyVersion}`}>
        {tab === 'overview' && <Overview dates={dates} />}
        {tab === 'trends' && <Trends stores={stores} />}
        {tab === 'stores' && <StoreComparison dates={dates} stores={stores} />}
        {tab === 'files' && <Files />}
        {tab === 'marketplace' && <Marketplace />}
        {tab === 'jobs' && <Jobs dates={dates} stores={stores} />}
        {tab === 'quality' && <Quality dates={dates} />}
        {tab === 'report' && <Report dates={dates} />}
      </main>
    </ApiContext.Provider>
  );
}

/**
 * The credential field: hidden behind a button; kept in this browser and sent as `x-api-key`, or as a bearer token
 * when it is a JWT (`credentialHeader`).
 */
function ApiKey(props: { onChange: () => void }) {
  const [open, setOpen] = useState(false);
  const [value, setValue] = useState(storedApiKey);
  return (
    <div class="api-key">
      <button type="button" class="secondary small" aria-expanded={open} onClick={() => setOpen(!open)}>
        API key{storedApiKey() ? ' ✓' : ''}
      </button>
      {open && (
        <form
          class="api-key-form"
          onSubmit={(e) => {
            e.preventDefault();
            storeApiKey(value.trim());
            setOpen(false);
            props.onChange();
          }}
        >
          <label>
            API key or JWT
            <input
              type="password"
              value={value}
              autoComplete="off"
              onInput={(e) => setValue((e.target as HTMLInputElement).value)}
            />
          </label>
          <button type="submit">Save</button>
        </form>
      )}
    </div>
  );
}
