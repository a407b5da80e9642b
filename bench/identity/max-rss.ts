/**
 * Preload (`node -r @swc-node/register -r ./bench/identity/max-rss.ts <script>`): when the process
 * exits, prints the kernel's peak resident set size of this process (getrusage ru_maxrss, the
 * same number /usr/bin/time reports) on stderr as `max-rss-kb <n>`. The measured script itself is
 * not changed, and nothing is sampled, so a short peak is never missed.
 */
process.on('exit', () => {
  process.stderr.write(`\nmax-rss-kb ${process.resourceUsage().maxRSS}\n`);
});
