import { execFileSync } from 'node:child_process';

/** Browser tests run against the built client, rebuilt only when its sources changed. */
export default function setup(): void {
  execFileSync('node', ['scripts/ensureClientBuilt.mjs'], { stdio: 'inherit' });
}
