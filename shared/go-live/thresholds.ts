/**
 * Entra's circuit breakers for a provisioning cycle, in one place: the cycle simulator and the go-live impact read them.
 */

/**
 * Disables plus deletes (users and groups) in one cycle above this stop the cycle and quarantine the job until an admin
 * allows them (Microsoft Learn "Enable accidental deletions prevention in the Microsoft Entra provisioning service";
 * the portal's default threshold is 500).
 */
export const ACCIDENTAL_DELETION_THRESHOLD = 500;

/**
 * Escrow thresholds (Microsoft Learn "Application provisioning in quarantine status"): evaluated from 5,000 failures;
 * quarantine when more than 40 % of the objects fail, more than 40,000 fail (reference failures such as manager links
 * excluded), or more than 60,000 fail in all.
 */
export const ESCROW_THRESHOLDS = { evaluatedFrom: 5000, failingShare: 0.4, objectFailures: 40_000, allFailures: 60_000 } as const;

export function escrowThresholdReached(failed: number, referenceFailures: number, objects: number): boolean {
  const objectFailures = failed - referenceFailures;
  return (
    failed >= ESCROW_THRESHOLDS.evaluatedFrom &&
    (objectFailures / Math.max(1, objects) > ESCROW_THRESHOLDS.failingShare ||
      objectFailures > ESCROW_THRESHOLDS.objectFailures ||
      failed > ESCROW_THRESHOLDS.allFailures)
  );
}
