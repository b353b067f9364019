import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Every `*.test.ts` below these folders of the repository, so a new test file is read without being listed. */
export function testFilesUnder(folders: readonly string[]): string[] {
  return folders.flatMap((folder) =>
    readdirSync(path.join(repoRoot, folder), { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.test.ts') && !file.split(path.sep).includes('node_modules'))
      .map((file) => path.join(folder, file)),
  );
}

/**
 * The rule ids (`RD-04`, `TM-12`…) that test names cite: the `[RD-04, RD-05]` that opens the title
 * of an `it`, `test` or `describe` (`.each(…)`, `.skip` and the like included). A rule named in a
 * comment or inside a title does not count: the rule is tested only where a test says so.
 */
export function citedRules(prefix: string, files: readonly string[]): Set<string> {
  const id = `${prefix}-\\d\\d`;
  const title = new RegExp(`\\b(?:it|test|describe)(?:\\.\\w+)*(?:\\([^()]*\\))?\\(\\s*['"\`]\\[(${id}(?:, ${id})*)\\]`, 'g');
  const cited = new Set<string>();
  for (const file of files) {
    for (const match of readFileSync(path.join(repoRoot, file), 'utf8').matchAll(title)) {
      for (const rule of match[1]!.split(', ')) cited.add(rule);
    }
  }
  return cited;
}
