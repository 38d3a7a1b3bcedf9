import type { ComponentType } from 'react';
import type { Screen } from '../state/store.ts';
import { TenantScreen } from './TenantScreen.tsx';
import { ReportsScreen } from './ReportsScreen.tsx';
import { MappingsScreen } from './MappingsScreen.tsx';
import { MockServerScreen } from './MockServerScreen.tsx';
import { PreviewScreen } from './PreviewScreen.tsx';
import { ProvisioningScreen } from './ProvisioningScreen.tsx';

/** Which component each navigation entry shows; every screen must have one (the type says so). */
export const screenComponents: Record<Screen, ComponentType> = {
  tenant: TenantScreen,
  reports: ReportsScreen,
  mappings: MappingsScreen,
  'mock-server': MockServerScreen,
  preview: PreviewScreen,
  provisioning: ProvisioningScreen,
};
