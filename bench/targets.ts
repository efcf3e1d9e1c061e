/**
 * The targets of the benchmarks in one table at the top of docs/PERFORMANCE.md: each figure with
 * its baseline measured in the same run, the ratio, the goal, and whether this run met it.
 */
import type { DigestBenchResult } from './digest.bench';
import type { FanOutResult } from './fanout.bench';
import type { ImportBenchResult } from './import.bench';
import type { RoundTripResult } from './roundtrip.bench';
import { answerFigures } from './roundtrip.report';

export interface TargetInputs {
  roundTrip: RoundTripResult;
  fan: FanOutResult;
  digest: DigestBenchResult;
  plan: ImportBenchResult;
}

const verdict = (met: boolean, otherwise = '') => (met ? 'met' : `**not met**${otherwise ? `: ${otherwise}` : ''}`);

export function formatTargets({ roundTrip, fan, digest, plan }: TargetInputs): string {
  const { cpu, rss, cpuRatio, rssRatio, floor } = answerFigures(roundTrip);
  const runs = roundTrip.runs.length;
  const rows = [
    [
      `plan import, ${plan.actions} actions`,
      `the same rows in 100-operation batches: ${plan.batchRowsPerSecond.toFixed(0)} rows/s`,
      `${plan.importRowsPerSecond.toFixed(0)} rows/s`,
      `${(plan.ratio * 100).toFixed(0)} %`,
      '≥ 25 %',
      verdict(plan.ratio >= 0.25, 'the import needs both cores to itself (section 5)'),
    ],
    [
      `fan-out to ${fan.channels} channels`,
      `the time Teams' limits allow: ${fan.minimumSeconds.toFixed(2)} s`,
      `${fan.seconds.toFixed(2)} s, ${fan.duplicates} duplicates, ${fan.misses} misses`,
      `${fan.ratio.toFixed(2)}×`,
      '≤ 1.5×, 0, 0',
      verdict(fan.ratio <= 1.5 && fan.duplicates === 0 && fan.misses === 0),
    ],
    [
      `bot CPU per card answer (median of ${runs})`,
      `the bare teams-ai app, static card: ${cpu.bare.toFixed(2)} ms`,
      `${cpu.bot.toFixed(2)} ms`,
      `${cpuRatio.toFixed(2)}×`,
      '≤ 1.5×',
      verdict(
        cpuRatio <= 1.5,
        `the bot's card and its store requests alone cost ${floor.toFixed(2)}× (the floor, section 1)`,
      ),
    ],
    [
      `bot resident memory after the answers (median of ${runs})`,
      `the bare app's: ${rss.bare.toFixed(0)} MiB`,
      `${rss.bot.toFixed(0)} MiB`,
      `${rssRatio.toFixed(2)}×`,
      '≤ 1.2×',
      // The bare app's figure is bimodal, so the row also gives the ratio against its lowest run.
      `${verdict(rssRatio <= 1.2, "the card's size counts (section 1)")}; against the bare app's lowest run (${rss.bareLowest.toFixed(0)} MiB) ${(rss.bot / rss.bareLowest).toFixed(2)}×, against the bare app with the bot's card ${(rss.bot / rss.bareWithCard).toFixed(2)}×`,
    ],
    [
      'digest of the last week, one year of history vs one week',
      `the one-week digest: ${digest.oneWeek.medianMs} ms`,
      `${digest.year.medianMs} ms`,
      `${digest.ratio.toFixed(2)}×`,
      '≤ 1.2×',
      verdict(digest.ratio <= 1.2),
    ],
  ];
  return [
    '| what | baseline in the same run | now | ratio | target | this run |',
    '| --- | --- | --- | ---: | --- | --- |',
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}
