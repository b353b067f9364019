// `npm run bench`: the load harness lives in test/load (see docs/benchmarks.md).
import { main } from '../test/load/cli';

await main(process.argv.slice(2));
