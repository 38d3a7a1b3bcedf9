import { describe, expect, it } from 'vitest';
import { PreviewWorkerPool } from '../../../electron/backend/preview/worker-pool.ts';

/** Real worker threads running the preview worker bundle (worker-script.ts). */
describe('preview worker pool', () => {
  it('gives the same threads to later runs, and starts new ones once the idle ones have stopped', async () => {
    const pool = new PreviewWorkerPool(2, 200);
    try {
      const first = await pool.take(2);
      const firstIds = first.map((worker) => worker.threadId);
      expect(new Set(firstIds).size).toBe(2);
      expect((await pool.take(2)).map((worker) => worker.threadId)).toEqual(firstIds);
      // No chunk attached: both stop after the idle time and leave the pool at once.
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(first.every((worker) => !worker.alive)).toBe(true);
      expect(pool.threadIds()).toEqual([]);
      const again = await pool.take(1);
      expect(again[0]!.alive).toBe(true);
      expect(firstIds).not.toContain(again[0]!.threadId);
    } finally {
      await pool.close();
    }
  });

  it('keeps a worker that holds a chunk, and tells the chunk when its worker stops', async () => {
    const pool = new PreviewWorkerPool(1, 100);
    try {
      const [worker] = await pool.take(1);
      const stopped: string[] = [];
      worker!.attach(7, { message: () => undefined, stopped: (error) => stopped.push(error.message) });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(worker!.alive).toBe(true);
      await worker!.terminate();
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(stopped).toHaveLength(1);
      expect(stopped[0]).toMatch(/run the preview again/);
      expect(pool.threadIds()).toEqual([]);
    } finally {
      await pool.close();
    }
  });
});
