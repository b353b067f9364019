import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runBenchmark, type BenchOptions, type BenchReport } from './harness';
import { killAllChildren, repoRoot } from './processes';
import { markdown, summaryLine } from './report';
import { SYSTEMS, type SystemName } from './types';

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
  --report-only            rewrite docs/benchmarks.md from docs/benchmarks.json and test/load/notes.md`;

function parse(argv: string[]): { options: Partial<BenchOptions>; write: boolean; reportOnly: boolean } {
  const options: Partial<BenchOptions> = {};
  let write = true;
  let reportOnly = false;
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
      case '--help':
        console.log(USAGE);
        process.exit(0);
        break;
      default:
        throw new Error(`unknown option ${arg}\n${USAGE}`);
    }
  }
  return { options, write, reportOnly };
}

export async function main(argv: string[]): Promise<void> {
  const { options, write, reportOnly } = parse(argv);
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
  try {
    const report = await runBenchmark(options);
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
