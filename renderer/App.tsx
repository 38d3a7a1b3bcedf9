import { useEffect, useState } from 'react';
import type { MethodOutput } from '../shared/api.ts';
import { api } from './api-client.ts';
import { NavigationBar } from './components/NavigationBar.tsx';
import { ErrorBanner } from './components/ErrorBanner.tsx';
import { screenComponents } from './screens/index.ts';
import { useUiStore, type Screen } from './state/store.ts';

type AppInfo = MethodOutput<'app.info'>;

function CurrentScreen({ screen }: { screen: Screen }) {
  const Component = screenComponents[screen];
  return <Component />;
}

export function App() {
  const screen = useUiStore((s) => s.screen);
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api['app.info']({}).then(setInfo, (e: Error) => setError(e.message));
  }, []);

  return (
    <div className="app">
      <header className="app-header">
        <span className="app-title">SCIM Planner</span>
        {info && (
          <span className="app-context" title={info.workspacePath}>
            {info.projectName} · {info.mode === 'browser' ? 'browser mode' : 'desktop'} · v{info.version}
          </span>
        )}
      </header>
      <NavigationBar />
      <main className="app-main" aria-live="polite">
        {error && <ErrorBanner message={error} />}
        <CurrentScreen screen={screen} />
      </main>
    </div>
  );
}
