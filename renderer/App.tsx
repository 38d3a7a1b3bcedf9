import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { NavigationBar } from './components/NavigationBar.tsx';
import { ErrorBanner } from './components/ErrorBanner.tsx';
import { ProjectContext } from './components/ProjectContext.tsx';
import { screenComponents } from './screens/index.ts';
import { followWorkspace, useProject } from './state/project.ts';
import { useUiStore, type Screen } from './state/store.ts';

function CurrentScreen({ screen }: { screen: Screen }) {
  const Component = screenComponents[screen];
  return <Component />;
}

export function App() {
  const screen = useUiStore((s) => s.screen);
  const { info, error } = useProject(useShallow((s) => ({ info: s.info, error: s.error })));

  // the project store is loaded once and then follows every change to the workspace, whichever screen made it
  useEffect(() => {
    const stop = followWorkspace();
    void useProject.getState().load();
    return stop;
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
        {info && <ProjectContext />}
      </header>
      <NavigationBar />
      <main className="app-main" aria-live="polite">
        {error && <ErrorBanner message={error} />}
        <CurrentScreen screen={screen} />
      </main>
    </div>
  );
}
