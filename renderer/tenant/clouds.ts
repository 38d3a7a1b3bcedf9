import type { CloudName } from '../../shared/api.ts';

/** The national clouds as the sign-in form names them (electron/backend/directory/clouds.ts). */
export const cloudOptions: { value: CloudName; label: string }[] = [
  { value: 'global', label: 'Global (commercial, GCC)' },
  { value: 'usgov', label: 'US Government L4 (GCC High)' },
  { value: 'usgovdod', label: 'US Government L5 (DoD)' },
  { value: 'china', label: 'China (operated by 21Vianet)' },
];

export function cloudLabel(cloud: CloudName): string {
  return cloudOptions.find((c) => c.value === cloud)?.label ?? cloud;
}
