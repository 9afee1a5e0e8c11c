import { createContext } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';
import type { ApiClient } from './api';

/** The API client of the page, given by `App`. */
export const ApiContext = createContext<ApiClient | null>(null);

/** The API client; throws outside `App` (a programming error). */
export function useApi(): ApiClient {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi outside ApiContext');
  return api;
}

/** Where a request stands: what every view renders as loading, error, or the data. */
export type Async<T> = { state: 'loading' } | { state: 'error'; error: Error } | { state: 'ok'; data: T };

/**
 * Runs `load` when `deps` change and gives its state; an answer that arrives after the deps changed again is dropped,
 * so a quick date change never shows the previous day's figures. `reload` runs it again.
 */
export function useAsync<T>(load: () => Promise<T>, deps: readonly unknown[]): [Async<T>, () => void] {
  const [state, setState] = useState<Async<T>>({ state: 'loading' });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let current = true;
    setState({ state: 'loading' });
    load().then(
      (data) => current && setState({ state: 'ok', data }),
      (error: Error) => current && setState({ state: 'error', error }),
    );
    return () => {
      current = false;
    };
  }, [...deps, tick]);
  return [state, () => setTick((t) => t + 1)];
}

/** A value of the URL's hash query (`#/overview?date=…`), and a setter that keeps it in the URL (shareable, back button). */
export function useHashParam(name: string): [string, (value: string) => void] {
  const read = () => new URLSearchParams(window.location.hash.split('?')[1] ?? '').get(name) ?? '';
  const [value, setValue] = useState(read);
  useEffect(() => {
    const onChange = () => setValue(read());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  });
  return [
    value,
    (next: string) => {
      const [path, query] = window.location.hash.split('?');
      const params = new URLSearchParams(query ?? '');
      if (next) params.set(name, next);
      else params.delete(name);
      const qs = params.toString();
      window.location.hash = `${path || '#/'}${qs ? `?${qs}` : ''}`;
      setValue(next);
    },
  ];
}
