import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { packSchema, summarisePack, type Pack, type PackSummary } from '../../shared/content/packSchema';

export const defaultPacksDir = fileURLToPath(new URL('../../content/packs/', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Paths in messages are relative to the repository when they can be, so they read like `content/packs/x.json`. */
function displayPath(file: string): string {
  const rel = path.relative(repoRoot, file);
  return rel.startsWith('..') || path.isAbsolute(rel) ? file : rel.split(path.sep).join('/');
}

function describeIssues(file: string, error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const where = issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)';
      return `${displayPath(file)}: ${where}: ${issue.message}`;
    })
    .join('\n');
}

/**
 * Reads and validates every pack. Any problem throws, naming the file and the field, so the
 * server refuses to start rather than offering a session that breaks halfway through.
 */
export function loadPacks(dir: string = defaultPacksDir): Pack[] {
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => path.join(dir, name));
  if (files.length === 0) throw new Error(`${displayPath(dir)}: no session packs (*.json) found`);

  const packs: Pack[] = [];
  const fileById = new Map<string, string>();
  for (const file of files) {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new Error(`${displayPath(file)}: (root): not valid JSON: ${(err as Error).message}`);
    }
    const parsed = packSchema.safeParse(raw);
    if (!parsed.success) throw new Error(describeIssues(file, parsed.error));
    const earlier = fileById.get(parsed.data.id);
    if (earlier !== undefined) {
      throw new Error(
        `${displayPath(file)}: id: pack id "${parsed.data.id}" is already used by ${displayPath(earlier)}`,
      );
    }
    fileById.set(parsed.data.id, file);
    packs.push(parsed.data);
  }
  return packs;
}

/** The loaded packs, looked up by id and listed in library order. */
export class PackLibrary {
  readonly #byId: ReadonlyMap<string, Pack>;
  readonly #ordered: readonly Pack[];

  constructor(packs: readonly Pack[]) {
    const byId = new Map<string, Pack>();
    for (const pack of packs) {
      if (byId.has(pack.id)) throw new Error(`Duplicate pack id "${pack.id}"`);
      byId.set(pack.id, pack);
    }
    this.#byId = byId;
    this.#ordered = [...packs].sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
  }

  static load(dir?: string): PackLibrary {
    return new PackLibrary(loadPacks(dir));
  }

  get(id: string): Pack | undefined {
    return this.#byId.get(id);
  }

  has(id: string): boolean {
    return this.#byId.has(id);
  }

  list(): PackSummary[] {
    return this.#ordered.map(summarisePack);
  }

  all(): readonly Pack[] {
    return this.#ordered;
  }
}
