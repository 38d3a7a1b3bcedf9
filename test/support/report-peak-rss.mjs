// Preloaded with `node --import` into a child process whose peak RSS a test bounds: reports it last on stderr.
process.on('exit', () => process.stderr.write(`\n@peak-rss-kb ${process.resourceUsage().maxRSS}\n`));
