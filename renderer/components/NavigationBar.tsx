import { screens, useUiStore, type Screen } from '../state/store.ts';

const screenTitles: Record<Screen, string> = {
  tenant: 'Tenant',
  mappings: 'Mappings',
  preview: 'Preview',
  'mock-server': 'Mock server',
  provisioning: 'Provisioning',
  reports: 'Reports',
};

export function NavigationBar() {
  const current = useUiStore((s) => s.screen);
  const go = useUiStore((s) => s.go);
  return (
    <nav className="app-nav" aria-label="Screens">
      <ul>
        {screens.map((screen) => (
          <li key={screen}>
            <button
              type="button"
              className={screen === current ? 'nav-item active' : 'nav-item'}
              aria-current={screen === current ? 'page' : undefined}
              onClick={() => go(screen)}
            >
              {screenTitles[screen]}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
