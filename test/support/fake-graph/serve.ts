/**
 * Runs the fake Graph in its own process (for benchmarks, so the server's CPU and memory are not
 * counted against the reader): `node --import tsx serve.ts [userCount] [latencyMs | minMs-maxMs]`. Prints one JSON
 * line {"baseUrl", "accessToken"} when listening, and exits when stdin closes.
 */
import { demoGraphData } from './demo-data.ts';
import { startFakeGraph } from './server.ts';

const count = Number(process.argv[2] ?? 200);
const [min, max = min] = (process.argv[3] ?? '0').split('-').map(Number) as [number, number?];
const graph = await startFakeGraph(demoGraphData(count), min === max ? { latencyMs: min } : { latencyRangeMs: [min, max!] });
process.stdout.write(`${JSON.stringify({ baseUrl: graph.baseUrl, accessToken: graph.accessToken })}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  void graph.close().then(() => process.exit(0));
});
