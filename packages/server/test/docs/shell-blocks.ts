import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * The shell blocks of README.md and docs/*.md, each with what the docs test does with it.
 *
 * A block is run against a fresh server unless the line above its fence (blank lines aside) says
 * otherwise, in an HTML comment a reader of the rendered page does not see:
 *   <!-- docs-test: not run, <why> -->       never run here, for the reason given
 *   <!-- docs-test: server stopped -->       run after the server has stopped (CLI on the embedded database)
 */
export type ShellBlock = {
  /** Where the block starts, `docs/gateway.md:96`, for a reader of a failure. */
  where: string;
  code: string;
  run: { when: 'server running' | 'server stopped' } | { when: 'never'; reason: string };
};

const SHELL_LANGUAGES = new Set(['bash', 'sh', 'shell', 'console']);
const FENCE = /^(`{3,}|~{3,})\s*([\w-]*)/;
const DIRECTIVE = /^<!--\s*docs-test:\s*(.*?)\s*-->$/;

export class DocsDirectiveError extends Error {}

function runOf(directive: string | undefined, where: string): ShellBlock['run'] {
  if (directive === undefined) return { when: 'server running' };
  if (directive === 'server stopped') return { when: 'server stopped' };
  const notRun = directive.match(/^not run,\s*(.+)$/);
  if (notRun?.[1]) return { when: 'never', reason: notRun[1] };
  throw new DocsDirectiveError(
    `${where}: unknown docs-test directive "${directive}" (use "not run, <why>" or "server stopped")`,
  );
}

export function shellBlocksOf(markdown: string, file: string): ShellBlock[] {
  const lines = markdown.split('\n');
  const blocks: ShellBlock[] = [];
  let open: { fence: string; language: string; start: number; directive: string | undefined } | undefined;
  let body: string[] = [];
  let lastText: string | undefined;
  lines.forEach((line, index) => {
    if (open) {
      const closing = line.trim();
      if (closing[0] === open.fence[0] && closing.length >= open.fence.length && /^(`+|~+)$/.test(closing)) {
        if (SHELL_LANGUAGES.has(open.language)) {
          const where = `${file}:${open.start + 1}`;
          blocks.push({ where, code: body.join('\n'), run: runOf(open.directive, where) });
        }
        open = undefined;
        body = [];
      } else body.push(line);
      return;
    }
    const fence = line.match(FENCE);
    if (fence?.[1]) {
      const directive = lastText?.match(DIRECTIVE)?.[1];
      open = { fence: fence[1], language: (fence[2] ?? '').toLowerCase(), start: index, directive };
      return;
    }
    if (line.trim()) lastText = line.trim();
  });
  return blocks;
}

/** README.md, then docs/*.md in name order: the order a reader meets them, and the order they run. */
export function documentedShellBlocks(repoRoot: string): ShellBlock[] {
  const docsDir = join(repoRoot, 'docs');
  const files = [
    join(repoRoot, 'README.md'),
    ...readdirSync(docsDir)
      .filter((name) => name.endsWith('.md'))
      .sort()
      .map((name) => join(docsDir, name)),
  ];
  return files.flatMap((path) => shellBlocksOf(readFileSync(path, 'utf8'), relative(repoRoot, path)));
}
