// Preloaded into benchmarked child processes: prints the peak resident set size at exit.
process.on('exit', () => process.stderr.write(`maxRSS=${process.resourceUsage().maxRSS}\n`));
