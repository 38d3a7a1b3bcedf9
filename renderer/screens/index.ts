import type { ComponentType } from 'react';
import type { Screen } from '../state/store.ts';
import { TenantScreen } from './TenantScreen.tsx';
import { ReportsScreen } from './ReportsScreen.tsx';
import { MappingsScreen } from './MappingsScreen.tsx';
import { MockServerScreen } from './MockServerScreen.tsx';
import { PreviewScreen } from './PreviewScreen.tsx';
import { ProvisioningScreen } from './ProvisioningScreen.tsx';

/**
 * Which component each navigation entry shows. A screen not listed here shows PlannedScreen, which
 * says what the screen will do (and no data). Each area owns its own line.
 */
export const screenComponents: Partial<Record<Screen, ComponentType>> = {
  tenant: TenantScreen,
  reports: ReportsScreen,
  mappings: MappingsScreen,
  'mock-server': MockServerScreen,
  preview: PreviewScreen,
  provisioning: ProvisioningScreen,
};
