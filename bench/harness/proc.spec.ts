import { parseCpuTicks, parseStatusKb, sampleProcess } from './proc';

describe('/proc readings', () => {
  it('takes utime + stime after the command name, even one with spaces and parentheses', () => {
    const stat =
      '4242 (node (my app)) S 1 4242 4242 0 -1 4194304 12345 0 0 0 731 69 0 0 20 0 11 0 5000 1000000 20000';
    expect(parseCpuTicks(stat)).toBe(731 + 69);
  });

  it('reads VmRSS and VmHWM in bytes', () => {
    const status = 'Name:\tnode\nVmHWM:\t  204800 kB\nVmRSS:\t  102400 kB\n';
    expect(parseStatusKb(status, 'VmRSS')).toBe(102400 * 1024);
    expect(parseStatusKb(status, 'VmHWM')).toBe(204800 * 1024);
  });

  it('samples this process', () => {
    const s = sampleProcess(process.pid);
    expect(s.cpuSeconds).toBeGreaterThan(0);
    expect(s.rssBytes).toBeGreaterThan(10 * 2 ** 20);
    expect(s.peakRssBytes).toBeGreaterThanOrEqual(s.rssBytes);
  });
});
