import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runBenchmark, type BenchOptions, type BenchReport } from './harness';
import { killAllChildren, repoRoot } from './processes';
import { markdown, summaryLine } from './report';
import { SYSTEMS, type SystemName } from './types';
import { BROWSER_DEFAULTS, runBrowserLatency, type BrowserLatencyOptions, type BrowserLatencyReport } from '../../bench/browserLatency';

const USAGE = `npm run bench -- [options]
  --sizes 10,100,1000      room counts (two clients each)
  --systems ours,hocuspocus,y-websocket,relay,socket.io-relay
  --seconds 10             measured window per phase (plus warm-up and drain)
  --warmup 3               warm-up seconds per phase
  --redis                  also run ours as two nodes over Redis (a redis-server on a free port)
  --search ours,hocuspocus,y-websocket  systems to search for the largest room count under 50 ms ("none" for none)
  --search-steps 3         extra phases the search may add per system
  --max-rooms 4000
  --profile DIR            write V8 CPU profiles of our server(s), measured window only, into DIR
  --no-write               print only; do not write docs/benchmarks.md and .json
  --no-browser             leave out the browser phase (bench/browserLatency.ts)
  --browser-only           run only the browser phase; its figures replace the last ones in
                           docs/benchmarks.json and docs/benchmarks.md, the rest is kept
  --browser-keys 200       keystrokes timed in the browser phase (one every 100 ms)
  --browser-out FILE       also write the browser phase's figures to FILE (JSON)
  --browser-baseline FILE  figures from an earlier --browser-out, shown beside the new ones as "before"
  --browser-label TEXT     what this browser run measures, said where it is shown as "before"
  --report-only            rewrite docs/benchmarks.md from docs/benchmarks.json and test/load/notes.md`;

interface BrowserChoice {
  run: boolean;
  only: boolean;
  options: BrowserLatencyOptions;
  out?: string;
  baseline?: string;
  label?: string;
}

function parse(argv: string[]): { options: Partial<BenchOptions>; write: boolean; reportOnly: boolean; browser: BrowserChoice } {
  const options: Partial<BenchOptions> = {};
  let write = true;
  let reportOnly = false;
  const browser: BrowserChoice = { run: true, only: false, options: { ...BROWSER_DEFAULTS } };
  const list = (v: string | undefined) => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const systems = (v: string | undefined): SystemName[] => {
    const names = list(v).filter((s) => s !== 'none');
    for (const s of names) if (!(SYSTEMS as readonly string[]).includes(s)) throw new Error(`unknown system ${s}`);
    return names as SystemName[];
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => argv[++i];
    switch (arg) {
      case '--sizes':
        options.sizes = list(value()).map(Number);
        break;
      case '--systems':
        options.systems = systems(value());
        break;
      case '--seconds':
        options.measureMs = Number(value()) * 1000;
        break;
      case '--warmup':
        options.warmupMs = Number(value()) * 1000;
        break;
      case '--redis':
        options.redis = true;
        break;
      case '--search':
        options.search = systems(value());
        break;
      case '--search-steps':
        options.searchSteps = Number(value());
        break;
      case '--max-rooms':
        options.maxRooms = Number(value());
        break;
      case '--profile':
        options.profileDir = path.resolve(value() ?? 'bench-profiles');
        mkdirSync(options.profileDir, { recursive: true });
        break;
      case '--no-write':
        write = false;
        break;
      case '--report-only':
        reportOnly = true;
        break;
      case '--no-browser':
        browser.run = false;
        break;
      case '--browser-only':
        browser.only = true;
        break;
      case '--browser-keys':
        browser.options.keystrokes = Number(value());
        break;
      case '--browser-out':
        browser.out = path.resolve(value() ?? 'browser-latency.json');
        break;
      case '--browser-label':
        browser.label = value();
        break;
      case '--browser-baseline':
        browser.baseline = path.resolve(value() ?? 'browser-latency.json');
        break;
      case '--help':
        console.log(USAGE);
        process.exit(0);
        break;
      default:
        throw new Error(`unknown option ${arg}\n${USAGE}`);
    }
  }
  return { options, write, reportOnly, browser };
}

/** Runs the browser phase, writing its figures to `--browser-out` if asked. */
async function browserPhase(choice: BrowserChoice): Promise<{ browser: BrowserLatencyReport; browserBaseline?: BrowserLatencyReport }> {
  const browser = await runBrowserLatency(choice.options);
  if (choice.label) browser.label = choice.label;
  if (choice.out) writeFileSync(choice.out, `${JSON.stringify(browser, null, 2)}\n`);
  const browserBaseline = choice.baseline ? (JSON.parse(readFileSync(choice.baseline, 'utf8')) as BrowserLatencyReport) : undefined;
  return browserBaseline ? { browser, browserBaseline } : { browser };
}

export async function main(argv: string[]): Promise<void> {
  const { options, write, reportOnly, browser } = parse(argv);
  const docs = path.join(repoRoot, 'docs');
  const notes = () => readFileSync(path.join(repoRoot, 'test', 'load', 'notes.md'), 'utf8');
  if (reportOnly) {
    const report = JSON.parse(readFileSync(path.join(docs, 'benchmarks.json'), 'utf8')) as BenchReport;
    writeFileSync(path.join(docs, 'benchmarks.md'), markdown(report, notes()));
    console.log(summaryLine(report));
    return;
  }
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping every child process`);
      killAllChildren();
      process.exit(130);
    });
  }
  if (browser.only) {
    const phase = await browserPhase(browser);
    if (write) {
      // Only the browser's figures change: the server run they sit beside is kept as it was.
      const report = { ...(JSON.parse(readFileSync(path.join(docs, 'benchmarks.json'), 'utf8')) as BenchReport), ...phase };
      if (!phase.browserBaseline) delete report.browserBaseline;
      writeFileSync(path.join(docs, 'benchmarks.md'), markdown(report, notes()));
      writeFileSync(path.join(docs, 'benchmarks.json'), `${JSON.stringify(report, null, 2)}\n`);
      console.log('\nwrote the browser phase into docs/benchmarks.md and docs/benchmarks.json');
    }
    return;
  }
  try {
    const report: BenchReport = await runBenchmark(options);
    // After the server phases, so the browser's figures are not taken on a loaded machine.
    if (browser.run) Object.assign(report, await browserPhase(browser));
    if (write) {
      writeFileSync(path.join(docs, 'benchmarks.md'), markdown(report, notes()));
      writeFileSync(path.join(docs, 'benchmarks.json'), `${JSON.stringify(report, null, 2)}\n`);
      console.log('\nwrote docs/benchmarks.md and docs/benchmarks.json');
    }
    console.log(summaryLine(report));
  } finally {
    killAllChildren();
  }
}
