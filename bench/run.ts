/**
 * `npm run bench`: every benchmark in one run, printed and written to docs/PERFORMANCE.md with
 * the machine it ran on. Each figure is compared with a baseline measured in the same run
 * (ratios, not absolute times: these machines are shared and noisy).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { formatDigestBench, runDigestBench } from './digest.bench';
import { formatFanOut, runFanOutBench } from './fanout.bench';
import { formatImport, runImportBench } from './import.bench';
import { formatMemory, MEMORY_NOTES, runMemoryBench } from './memory.bench';
import { ANSWER_NOTES, formatRoundTrip, runRoundTripBench } from './roundtrip.bench';
import { measureStorageCeiling } from './storage-ceiling';
import { formatTab, runTabBench } from './tab.bench';

const quick = process.argv.includes('--quick');
const log = (s: string) => console.error(s);

/** `--only import,digest`: just those benchmarks, printed; docs/PERFORMANCE.md is written by a whole run only. */
const BENCHES = {
  ceiling: async () => {
    const c = await measureStorageCeiling();
    return `Azurite: ${c.readsPerSecond.toFixed(0)} reads/s, ${c.writesPerSecond.toFixed(0)} writes/s at 50 concurrent requests`;
  },
  answer: async () => formatRoundTrip(await runRoundTripBench({ requests: quick ? 500 : 3000, log })),
  fanout: async () => formatFanOut(await runFanOutBench({ log })),
  digest: async () => formatDigestBench(await runDigestBench({ quick, log })),
  memory: async () => formatMemory(await runMemoryBench()),
  import: async () => formatImport(await runImportBench({ actions: quick ? 1_000 : 5_000, log })),
  tab: async () => formatTab(await runTabBench({ quick, log })),
} as const;

function onlyArg(): string[] | undefined {
  const i = process.argv.indexOf('--only');
  const value = i >= 0 ? process.argv[i + 1] : process.argv.find((a) => a.startsWith('--only='))?.slice(7);
  if (i < 0 && value === undefined) return undefined;
  const names = (value ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !(n in BENCHES));
  if (names.length === 0 || unknown.length > 0) {
    console.error(
      `--only takes one or more of: ${Object.keys(BENCHES).join(', ')}${unknown.length ? ` (not: ${unknown.join(', ')})` : ''}`,
    );
    process.exit(2);
  }
  return names;
}

async function main(): Promise<void> {
  const only = onlyArg();
  if (only) {
    for (const name of only) {
      log(`== ${name}`);
      console.log(`## ${name}\n\n${await BENCHES[name as keyof typeof BENCHES]()}\n`);
    }
    return;
  }
  const started = new Date();
  log('storage ceiling: raw Azurite reads and writes');
  const ceiling = await measureStorageCeiling();
  const roundTrip = await runRoundTripBench({ requests: quick ? 500 : 3000, log });
  const fan = await runFanOutBench({ log });
  log('digest: one year against one week');
  const digest = await runDigestBench({ quick, log });
  log('memory: import of 1 000 actions');
  const memory = await runMemoryBench();
  const plan = await runImportBench({ actions: quick ? 1_000 : 5_000, log });

  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const doc = `# Performance

Measured by \`npm run bench\`${quick ? ' (--quick)' : ''} on ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC:
${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node.js ${process.version}, ${os.type()} ${os.release()}.
Storage is the embedded Azurite (in memory), as on a developer's machine. Every figure has a baseline
measured in the same run; compare the ratios, not the absolute numbers (shared, noisy machines).

## 1. Card answer round-trip (check-in answers through the HTTP endpoint)

${formatRoundTrip(roundTrip)}

${ANSWER_NOTES}

Where the time goes. Azurite's table service is one single-threaded process, measured in the same
run at **${ceiling.readsPerSecond.toFixed(0)} reads/s** and **${ceiling.writesPerSecond.toFixed(0)} writes/s** at 50 concurrent requests; the bot, Azurite and the
load generator share this machine's ${os.cpus().length} cores. The table above adds up the CPU every process
spent per answer: the machine can serve at most about ${os.cpus().length} cores ÷ that sum answers a second,
so on ${os.cpus().length} cores the ratio cannot exceed **${(
    (roundTrip.cpu.baselineMs + roundTrip.cpu.loadMs) /
    (roundTrip.cpu.botMs + roundTrip.cpu.storeMs + roundTrip.cpu.botLoadMs)
  ).toFixed(2)}** (baseline sum ÷ Kraftsamla sum) however the work is arranged; the bot and
the store are both close to fully busy. The answer path itself is short: the role
check and the team's actions read together, the event with its de-duplication marker appended in one
transaction, the action replaced with its ETag, then the team's actions, the check-in row and the
steering follow-ups read for the refreshed card. Concurrent answers share those requests (see "What
was found"), so the bot asks the store about once per answer instead of seven times. With Azure
Table Storage the store's CPU is not on this machine; the bot's own CPU per answer is then the bound.

## 2. Fan-out (scheduled check-in to ${fan.channels} channels)

${formatFanOut(fan)}

The Bot Connector double enforces Teams' per-thread limits and 30 requests/s per app per tenant,
and answers every tenth post with 429 and \`Retry-After: 1\`. Posts are paced at 35 ms (≈ 28/s)
with 4 in flight; each throttled post waits its \`Retry-After\` and is retried. Every delivery is
recorded, so a restart resumes without duplicates.

## 3. Digest cost growth (last week of one year of history vs a one-week history)

${formatDigestBench(digest)}

## 4. Memory of the import

${formatMemory(memory)}

${MEMORY_NOTES}

## 5. Plan import at the store's pace

${formatImport(plan)}

The import reads and checks the whole file, then writes what is new or changed: the actions, one
event per change in the week's log, and the teams it made; the baseline only writes rows.

## What was found

- **Stale build output** made the first run measure the wrong thing: \`dist/\` kept a compiled
  \`cards/verbs.js\` from before the verbs became a folder, Node resolved it first, and every
  check-in answer fell through to "unknown button". \`npm run build\` now cleans \`dist/\` first.
- **A CPU profile of the bot under load** showed it idle most of the time, waiting for Azurite.
  Three requests were taken off the answer path: the duplicate check is the append's own
  transaction (no separate read), the first ETag attempt reuses the action already read, and the
  check-in row is only written the first time an action is answered in a week. The posted card's
  update for everyone runs after the answer, coalesced per check-in (a burst of 50 answers becomes
  a couple of updates, which also keeps inside Teams' 7 sends per second per thread). The role
  check and the steering follow-ups on the card each added a read, run beside an existing one.
- **Second round (this run's figures).** Answers were coming in faster than the store could take
  them one request each, and answers to the same action raced each other's ETags (50 in flight over
  15 actions: most retried after a pause). Three changes, none of which changes what a caller sees:
  *reads are shared* — concurrent reads of the same row or query share one request, but a caller
  only joins a read that starts after it asked, so it still sees every write that finished before
  (\`storage/coalesce.ts\`); *group commit* — appends to the week's log, and action updates,
  that arrive while a transaction is on the wire go in the next transaction together (each event
  still atomic with its marker; a refused transaction is retried group by group, so a duplicate or
  a stale ETag fails only its own caller); *write combining* — answers to one action in one process
  are applied in order to the row and written once (\`domain/combine.ts\`), so they no longer
  conflict; other processes are still held off by the ETag. The answer reads the action from its
  team's list, the read every concurrent answer of that team shares. Store requests per answer fell
  from 7 to about 1, throughput roughly doubled (197 → 330–440 answers/s over this
  session's runs) and p99 fell from 677 ms to 190–375 ms (the bare app's own p99 was 80–180 ms in
  the same runs). A card posted for
  everyone is now replaced at most every 2 s (Teams allows about one send every 2 s per thread
  sustained); the person answering sees their answer at once in the card the invoke returns.
- **The code split by feature (2026-12-03) costs nothing measurable.** The same benchmarks, the
  same day, on the tree before the split (files only moved), after the request log and telemetry
  came in, and after the whole split: the bot's CPU per answer 3.8×, 3.7× and 3.5–3.8× the bare
  app's (3.44 / 0.90, 3.40 / 0.93, 3.44–3.93 / 0.90–1.04 ms), Azurite's 1.77–1.86 ms in all of
  them, the fan-out of 50 channels 3.23–3.68 s, the import's memory unchanged: within each other's
  noise (the tables above are the last of these runs).
  The figures of earlier days (2.95 / 0.89 ms, 3.13 s) were another day on this shared machine.
  The send limiter now counts a request in its windows until its answer is in, so that one slow
  to reach Teams cannot share a window with the next (the per-thread limit held in every run since,
  where it had been passed on a loaded machine); the fan-out figures show no cost from it.
- **What is left** is CPU, measured above: per answer the bot spends about three times the bare
  app's CPU and Azurite more than a millisecond per request. A profile of the bot under load shows
  no single hot spot (the largest, the garbage collector, ~13 %). To see where the bot's extra
  goes, the answer handler was cut down step by step in a throwaway build (2026-11-26, same
  machine, CPU ms per answer, baseline 0.85): answering the static card through Kraftsamla's
  server and app 1.03 (envelope and tenant checks, routing); plus the role check 0.95 (within
  noise); reading the team's actions, check-in row and follow-ups (shared reads, 0.2 requests per
  answer) 1.38; rendering and sending the 15 kB card from a cached view 1.46; reads and card 1.67;
  the whole answer (log, action, combining, two batches) about 2.6. A larger young generation
  (\`--max-semi-space-size\`) changed nothing measurable. Even a bot at the bare app's CPU would
  reach only about 0.48 here, because Azurite's share alone exceeds the bare app's whole cost;
  so the 0.5 goal needs the store off these two cores (Azure Table Storage), where the bot's own
  CPU per answer is the bound. The p99 goal is below what the bare app itself reaches on this
  machine at 50 connections in some runs (88–160 ms in this session). Where the bot's CPU went on
  2026-12-07, what was taken off it, and what its memory is made of: section 1.
- **The digest** reads the week's and the previous week's log partitions only, whatever the
  history's length. The one-week history has no previous week, so its digest reads about half the
  rows; per row read, the one-year digest costs the same as the one-week one (the "time per row
  read" ratio), so history length does not matter. Azurite's partition queries scan the whole
  table (the empty-week query column grows with history); Azure Table Storage seeks the partition.
`;
  const out = path.join(__dirname, '..', '..', 'docs', 'PERFORMANCE.md');
  fs.writeFileSync(out, doc);
  console.log(doc);
  log(`written to ${path.relative(process.cwd(), out)}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
