/** Statistics and markdown of the issuance benchmark, from hand-made samples (pure; nothing is timed here). */
import { describe, expect, it } from 'vitest';
import { BenchTool } from '../../bench/issuance/options.js';
import {
  formatDistributions,
  formatFailures,
  formatIssuanceTable,
  formatRatio,
  formatRoute53Table,
  formatSeconds,
} from '../../bench/issuance/report.js';
import { legoRoute53MinimumCalls, route53Columns } from '../../bench/issuance/route53-model.js';
import {
  distributionOf,
  type IssuanceSample,
  median,
  percentile,
  ratiosToPortcullis,
  summarizeRun,
  type ToolRun,
} from '../../bench/issuance/stats.js';

function sample(index: number, wallMs: number, ok = true): IssuanceSample {
  const names = [`b${index}.example.test`, `*.b${index}.example.test`];
  return ok ? { index, names, ok, wallMs } : { index, names, ok, wallMs, error: 'exit code 1: boom' };
}

function run(tool: BenchTool, walls: number[], extra: Partial<ToolRun> = {}): ToolRun {
  return {
    tool,
    samples: walls.map((wall, i) => sample(i, wall)),
    totalWallMs: 2000,
    clientCpuMs: 400,
    cpuMethod: 'test',
    serverCpuMs: 100,
    leftoverTxt: 0,
    ...extra,
  };
}

describe('median and percentile', () => {
  const cases: Record<string, { values: number[]; median: number; p90: number }> = {
    'an odd count has a middle value': { values: [1, 2, 9], median: 2, p90: 9 },
    'an even count averages the middle two': { values: [1, 2, 3, 10], median: 2.5, p90: 10 },
    'one value is every percentile': { values: [7], median: 7, p90: 7 },
    'ten values put p90 on the ninth': { values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], median: 5.5, p90: 9 },
  };
  it.each(Object.entries(cases))('%s', (_name, { values, median: m, p90 }) => {
    expect(median(values)).toBe(m);
    expect(percentile(values, 90)).toBe(p90);
  });

  it('refuses to summarize nothing', () => {
    expect(() => median([])).toThrow(RangeError);
    expect(distributionOf([])).toBeUndefined();
  });
});

describe('summarizeRun', () => {
  it('counts failures, excludes them from the distribution and divides CPU by attempts', () => {
    const mixed = run(BenchTool.Lego, [], {
      samples: [sample(0, 100), sample(1, 5600), sample(2, 50_000, false), sample(3, 300)],
    });
    const summary = summarizeRun(mixed);
    expect(summary).toMatchObject({ attempted: 4, succeeded: 3, failed: 1, clientCpuMsPerCert: 100 });
    expect(summary.distribution).toMatchObject({ medianMs: 300, minMs: 100, maxMs: 5600 });
    expect(summary.throughput).toBe(1.5); // 3 certificates in 2 s
    expect(summary.serverCpuMsPerCert).toBe(25);
  });

  it('relates every tool to Portcullis and nothing when Portcullis did not run', () => {
    const ours = summarizeRun(run(BenchTool.Portcullis, [100, 200, 300]));
    const lego = summarizeRun(run(BenchTool.Lego, [1000, 2000, 3000], { totalWallMs: 8000, clientCpuMs: 40 }));
    const ratios = ratiosToPortcullis(lego, [ours, lego]);
    expect(ratios).toMatchObject({ median: 10, throughput: 0.25 });
    expect(ratios?.clientCpu).toBeCloseTo(0.1, 10);
    expect(ratiosToPortcullis(lego, [lego])).toBeUndefined();
  });
});

describe('formatting', () => {
  const numbers: Record<string, { got: string; want: string }> = {
    'seconds below one keep milliseconds': { got: formatSeconds(152.4), want: '0.152' },
    'seconds above one keep two decimals': { got: formatSeconds(5712), want: '5.71' },
    'small ratios keep two decimals': { got: formatRatio(0.052), want: '×0.05' },
    'ratios from ten keep one decimal': { got: formatRatio(12.34), want: '×12.3' },
    'ratios from a hundred are whole': { got: formatRatio(140.4), want: '×140' },
    'a missing ratio is a dash': { got: formatRatio(undefined), want: '–' },
  };
  it.each(Object.entries(numbers))('%s', (_name, { got, want }) => {
    expect(got).toBe(want);
  });

  it('prints one table row per tool with ratios to Portcullis', () => {
    const summaries = [
      summarizeRun(run(BenchTool.Portcullis, [100, 200, 300])),
      summarizeRun(run(BenchTool.Certbot, [2500, 2700, 3000], { clientCpuMs: 2000 })),
    ];
    const lines = formatIssuanceTable(summaries).split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toContain('| tool | ok / N | median s |');
    expect(lines[3]).toBe(
      '| certbot | 3 / 3 | 2.70 | 3.00 | 2.50 | 3.00 | 2.00 | 1.50 | 667 | 33 | ×13.5 | ×1.00 | ×5.00 |',
    );
  });

  it('lists each tool’s sorted times, counts the slow ones, and lists failures', () => {
    const lego = run(BenchTool.Lego, [], { samples: [sample(0, 5600), sample(1, 140), sample(2, 9000, false)] });
    expect(formatDistributions([lego])).toBe('- lego (2 ok, 1 at ≥ 5 s): 0.140, 5.60');
    expect(formatFailures([lego])).toBe('- lego #2 (b2.example.test, *.b2.example.test): exit code 1: boom');
    expect(formatFailures([run(BenchTool.Lego, [100])])).toBe('');
  });
});

describe('Route53 calls', () => {
  it('groups the operations into the table’s columns and keeps unknown ones visible', () => {
    expect(
      route53Columns({
        ChangeResourceRecordSetsCommand: 2,
        GetChange: 1,
        ListHostedZones: 1,
        ListHostedZonesByName: 1,
        ListResourceRecordSets: 6,
        GetHostedZone: 1,
      }),
    ).toEqual({
      changeResourceRecordSets: 2,
      getChange: 1,
      listHostedZones: 2,
      listResourceRecordSets: 6,
      other: 1,
      total: 12,
    });
  });

  it('puts lego’s per-name minimum beside our counted total', () => {
    expect(legoRoute53MinimumCalls(10)).toBe(80);
    const table = formatRoute53Table([
      { names: 3, provider: 'cold', ok: true, byOperation: { ChangeResourceRecordSets: 2, ListResourceRecordSets: 6 } },
    ]);
    expect(table.split('\n')[2]).toBe('| 3 | cold | 2 | 0 | 0 | 6 | 0 | 8 | 24 |');
  });
});
