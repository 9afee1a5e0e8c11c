import type { ComponentType } from 'preact';
import { AsyncView } from './components';
import { useAsync } from './hooks';

/**
 * A component whose code is fetched the first time it renders (a dynamic `import()`, its own chunk of the build), so
 * that a tab few visits open, and what it alone imports (the Jobs tab's operation schemas), never weighs on the first
 * figures (test/bundle.test.ts). Loading and a failed fetch render as any request does.
 *
 * @example
 * const Jobs = lazy(() => import('./tabs/jobs').then((m) => m.Jobs));
 */
export function lazy<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  let loading: Promise<ComponentType<P>> | undefined;
  const once = () => {
    loading ??= load().catch((error: Error) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };
  return function Lazy(props: P) {
    const [component, retry] = useAsync(once, []);
    return (
      <AsyncView value={component} what="this tab" retry={retry}>
        {(Component) => <Component {...props} />}
      </AsyncView>
    );
  };
}
