import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The server's shape, as docs/architecture.md draws it, checked against its imports: no cycles, each
 * domain entered only through its front door, and dependencies that run one way only.
 */
const SRC = resolve(import.meta.dirname, '../src');

/** Domains in dependency order: each may use the front doors of those before it, never after. */
const DOMAINS = ['auth', 'pricing', 'telemetry', 'gateway', 'ops'] as const;
/** A domain's doors: the server plugin and, for the CLI, its commands. */
const FRONT_DOORS = ['index.ts', 'commands.ts'];
/** Shared parts, in the order they may import each other; none of them imports a domain. */
const SHARED = [
  'clock.ts',
  'parse-json.ts',
  'package-root.ts',
  'config.ts',
  'crypto',
  'http',
  'db',
  'kv',
  'metrics.ts',
  'periodic.ts',
  'cli',
];
/** Where the program starts; the only files that may import app.ts. */
const ENTRIES = new Set(['index.ts', 'server.ts', 'cli.ts']);

type SourceFile = { path: string; imports: string[] };

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g;

function readSource(path: string): SourceFile {
  const text = readFileSync(path, 'utf8');
  const imports = [...text.matchAll(IMPORT)].map((match) => {
    const specifier = (match[1] ?? match[2]) as string;
    return relative(SRC, resolve(dirname(path), specifier.replace(/\.js$/, '.ts')));
  });
  return { path: relative(SRC, path), imports };
}

const files = sourceFiles(SRC).map(readSource);

/** The top-level folder or file a path belongs to: `gateway`, `http`, `app.ts`. */
const placeOf = (path: string) => path.split('/')[0] as string;
const isDomain = (place: string) => (DOMAINS as readonly string[]).includes(place);
const isFrontDoor = (path: string) => path.split('/').length === 2 && FRONT_DOORS.includes(path.split('/')[1] ?? '');

function cycles(graph: Map<string, string[]>): string[][] {
  // Tarjan's strongly connected components; any component of two or more files is a cycle.
  let index = 0;
  const indexOf = new Map<string, number>();
  const lowOf = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string) => {
    indexOf.set(node, index);
    lowOf.set(node, index);
    index += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!indexOf.has(next)) {
        visit(next);
        lowOf.set(node, Math.min(lowOf.get(node) as number, lowOf.get(next) as number));
      } else if (onStack.has(next)) {
        lowOf.set(node, Math.min(lowOf.get(node) as number, indexOf.get(next) as number));
      }
    }
    if (lowOf.get(node) !== indexOf.get(node)) return;
    const component: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop() as string;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1 || graph.get(node)?.includes(node)) found.push(component.sort());
  };
  for (const node of graph.keys()) if (!indexOf.has(node)) visit(node);
  return found;
}

describe('the server architecture', () => {
  it('reads the imports of every source file', () => {
    // Guards the checks below against a parser that silently finds nothing.
    expect(files.length).toBeGreaterThan(100);
    expect(files.find((file) => file.path === 'app.ts')?.imports.length).toBeGreaterThan(5);
  });

  it('has no import cycle', () => {
    const graph = new Map(files.map((file) => [file.path, file.imports]));
    expect(cycles(graph)).toEqual([]);
  });

  it('enters another domain only through its front door', () => {
    const violations = files.flatMap((file) =>
      file.imports
        .filter((target) => isDomain(placeOf(target)) && placeOf(target) !== placeOf(file.path))
        .filter((target) => !isFrontDoor(target))
        .map((target) => `${file.path} -> ${target}`),
    );
    expect(violations).toEqual([]);
  });

  it('has each domain depend only on domains before it, and shared parts on no domain', () => {
    const rank = (place: string) => (DOMAINS as readonly string[]).indexOf(place);
    const violations = files.flatMap((file) => {
      const from = placeOf(file.path);
      return file.imports
        .filter((target) => {
          const to = placeOf(target);
          if (to === from || !isDomain(to)) return false;
          if (SHARED.includes(from)) return true;
          return isDomain(from) && rank(to) > rank(from);
        })
        .map((target) => `${file.path} -> ${target}`);
    });
    expect(violations).toEqual([]);
  });

  it('keeps the shared parts in their own order', () => {
    const violations = files.flatMap((file) => {
      const from = SHARED.indexOf(placeOf(file.path));
      if (from < 0) return [];
      return file.imports
        .filter((target) => SHARED.indexOf(placeOf(target)) > from)
        .map((target) => `${file.path} -> ${target}`);
    });
    expect(violations).toEqual([]);
  });

  it('gives every domain a front door, and lets only the entry points import app.ts', () => {
    const paths = new Set(files.map((file) => file.path));
    expect(DOMAINS.filter((domain) => !paths.has(`${domain}/index.ts`))).toEqual([]);
    const importers = files.filter((file) => file.imports.includes('app.ts')).map((file) => file.path);
    expect(importers.filter((path) => !ENTRIES.has(path))).toEqual([]);
  });

  it('keeps app.ts a composition: under 120 lines', () => {
    const lines = readFileSync(join(SRC, 'app.ts'), 'utf8').trimEnd().split('\n').length;
    expect(lines).toBeLessThan(120);
  });

  it('keeps cli.ts a composition: under 60 lines', () => {
    // Each domain's commands are registered by its commands.ts; cli.ts only puts them together.
    const lines = readFileSync(join(SRC, 'cli.ts'), 'utf8').trimEnd().split('\n').length;
    expect(lines).toBeLessThan(60);
  });
});
