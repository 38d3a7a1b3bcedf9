// Preloaded with `node --import` into a child process whose peak RSS a test bounds: reports it last on stderr. Worker
// threads inherit the process's --import too; only the main thread reports (maxRSS is the whole process's anyway).
import { isMainThread } from 'node:worker_threads';

if (isMainThread) process.on('exit', () => process.stderr.write(`\n@peak-rss-kb ${process.resourceUsage().maxRSS}\n`));
