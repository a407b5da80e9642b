import { formatSummary, parseRedriveArgs, runRedriveCli, UsageError } from './redrive-cli';

describe('parseRedriveArgs', () => {
  it('applies the defaults of a service', () => {
    expect(parseRedriveArgs(['--service', 'customer-master'], {})).toEqual({
      service: 'customer-master',
      dryRun: false,
      brokers: ['127.0.0.1:9092'],
      deadLetterTopic: 'customer-master.message.dead-lettered.v1',
      groupId: 'bank-crm.customer-master.dlq-redrive',
    });
  });

  it('takes every option, in both --flag value and --flag=value forms', () => {
    expect(
      parseRedriveArgs(
        [
          '--service=sales',
          '--original-topic',
          'customer-master.customer.created.v1',
          '--reason=handler-failed',
          '--dry-run',
          '--limit',
          '10',
          '--brokers',
          'a:1, b:2',
          '--dead-letter-topic',
          'x.y.z.v1',
          '--group',
          'g',
          '--idle-timeout-ms=5000',
        ],
        {},
      ),
    ).toEqual({
      service: 'sales',
      originalTopic: 'customer-master.customer.created.v1',
      reason: 'handler-failed',
      dryRun: true,
      limit: 10,
      brokers: ['a:1', 'b:2'],
      deadLetterTopic: 'x.y.z.v1',
      groupId: 'g',
      idleTimeoutMs: 5000,
    });
  });

  it('--restricted re-drives the restricted dead-letter topic, with a group of its own', () => {
    expect(parseRedriveArgs(['--service', 'account-bridge', '--restricted'], {})).toEqual({
      service: 'account-bridge',
      restricted: true,
      dryRun: false,
      brokers: ['127.0.0.1:9092'],
      deadLetterTopic: 'account-bridge.message.dead-lettered-restricted.v1',
      groupId: 'bank-crm.account-bridge.dlq-redrive-restricted',
    });
    expect(
      parseRedriveArgs(
        ['--restricted', '--service', 'sales', '--dead-letter-topic', 'x.y.z.v1'],
        {},
      ),
    ).toMatchObject({
      deadLetterTopic: 'x.y.z.v1',
      groupId: 'bank-crm.sales.dlq-redrive-restricted',
    });
  });

  it('reads KAFKA_BROKERS when --brokers is not given', () => {
    expect(parseRedriveArgs(['--service', 'sales'], { KAFKA_BROKERS: 'k:9' })?.brokers).toEqual([
      'k:9',
    ]);
  });

  it.each([
    [[], '--service is required'],
    [['--service', 'nope'], 'unknown service "nope"'],
    [['--service', 'sales', '--reason', 'boom'], 'unknown reason "boom"'],
    [['--service', 'sales', '--limit', '0'], '--limit needs a positive integer'],
    [['--service', 'sales', '--limit', 'x'], '--limit needs a positive integer'],
    [['--service', 'sales', '--brokers', 'nohost'], 'bad broker "nohost"'],
    [['--service', 'sales', '--frobnicate'], 'unknown argument "--frobnicate"'],
    [['--service'], '--service needs a value'],
    [['--service', '--dry-run'], '--service needs a value'],
    [['--service', 'sales', '--service', 'sales'], '--service given twice'],
  ])('rejects %j: %s', (argv, message) => {
    expect(() => parseRedriveArgs(argv, {})).toThrow(UsageError);
    expect(() => parseRedriveArgs(argv, {})).toThrow(message);
  });

  it('returns null for help', () => {
    expect(parseRedriveArgs(['--service', 'sales', '--help'], {})).toBeNull();
    expect(parseRedriveArgs(['-h'], {})).toBeNull();
  });
});

describe('runRedriveCli', () => {
  const capture = () => {
    const out: string[] = [];
    const err: string[] = [];
    return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err };
  };

  it('exits 2 with the usage on bad arguments, 0 on --help, without touching Kafka', async () => {
    const bad = capture();
    expect(await runRedriveCli(['--service', 'nope'], bad.io, {})).toBe(2);
    expect(bad.err.join('\n')).toContain('Usage: npm run dlq:redrive');
    const help = capture();
    expect(await runRedriveCli(['--help'], help.io, {})).toBe(0);
    expect(help.out.join('\n')).toContain('--original-topic');
  });
});

describe('formatSummary', () => {
  it('prints a sentence and the JSON summary', () => {
    const text = formatSummary({
      deadLetterTopic: 'd',
      groupId: 'g',
      dryRun: false,
      complete: false,
      pending: 3,
      examined: 2,
      redriven: 1,
      requeued: 1,
      unroutable: 0,
      byTopic: { t: 1 },
      byReason: { 'handler-failed': 1 },
      error: 'boom',
    });
    const [sentence, json] = text.split('\n');
    expect(sentence).toBe(
      '2 examined, 1 re-driven, 1 moved to the end (filters), 0 not re-drivable [t: 1] - INCOMPLETE: boom',
    );
    expect(JSON.parse(json)).toMatchObject({ redriven: 1, complete: false });
  });
});
