// Reads a V8 .cpuprofile of the Switchyard server and says where its time went: by package or source
// folder (self time), and by function (self and inclusive), with bundle positions mapped back to our
// sources through dist's source map. Also writes folded stacks for a flame-graph tool.
import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

function sourceMapFor(url, cache) {
  if (!cache.has(url)) {
    let map = null;
    try {
      map = new SourceMap(JSON.parse(readFileSync(`${fileURLToPath(url)}.map`, 'utf8')));
    } catch {
      // no map beside it: positions stay the bundle's
    }
    cache.set(url, map);
  }
  return cache.get(url);
}

/** Where a call frame's code lives: `{ group, place }`, e.g. `server/gateway/recording` and `call-recorder.ts:48`. */
export function locate(frame, maps) {
  const { url, lineNumber, columnNumber, functionName } = frame;
  if (!url) return { group: functionName.startsWith('(') ? functionName : '(native)', place: '' };
  if (url.startsWith('node:')) {
    const module = url.replace(/^node:(internal\/)?/, '').split('/')[0];
    return { group: `node:${module}`, place: url.slice(5) };
  }
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + 14).split('/');
    const name = rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
    return { group: name, place: `${rest.slice(name.includes('/') ? 2 : 1).join('/')}:${lineNumber + 1}` };
  }
  if (url.startsWith('file:')) {
    const map = sourceMapFor(url, maps);
    const entry = map?.findEntry(lineNumber, columnNumber);
    if (entry?.originalSource) {
      // e.g. server/gateway/recording/call-recorder.ts, shared/format.ts
      const source = new URL(entry.originalSource, url).pathname.replace(/^.*\/packages\//, '');
      const parts = source.replace('/src/', '/').split('/');
      const group = parts.slice(0, Math.min(parts.length - 1, 3)).join('/');
      return { group, place: `${parts.at(-1)}:${entry.originalLine + 1}` };
    }
    return { group: url.split('/').slice(-2).join('/'), place: `${lineNumber + 1}` };
  }
  return { group: '(other)', place: url };
}

/**
 * Summarises `path`; `topFunctions` rows per table. `window` ({ fromUs, toUs }, CLOCK_MONOTONIC µs as
 * `process.hrtime.bigint() / 1000n` gives in any process here) keeps only the samples taken inside it.
 */
export function summariseProfile(path, { topFunctions = 25, window, stallMs = 2 } = {}) {
  const profile = JSON.parse(readFileSync(path, 'utf8'));
  const maps = new Map();
  const parentOf = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const info = new Map();
  for (const node of profile.nodes) {
    const { group, place } = locate(node.callFrame, maps);
    const name = node.callFrame.functionName || '(anonymous)';
    info.set(node.id, { group, key: `${name} ${group}${place ? ` ${place}` : ''}`, name });
  }

  const selfByGroup = new Map();
  const selfByFunction = new Map();
  const inclusiveByFunction = new Map();
  const folded = new Map();
  let busyUs = 0;
  const add = (map, key, us) => map.set(key, (map.get(key) ?? 0) + us);
  // Stalls: stretches where the event loop never went idle for `stallMs` or more, and what ran in them.
  const stalls = { count: 0, us: 0, longestUs: 0, inclusive: new Map() };
  let stretch = { us: 0, frames: new Map() };
  const endStretch = () => {
    if (stretch.us >= stallMs * 1000) {
      stalls.count += 1;
      stalls.us += stretch.us;
      stalls.longestUs = Math.max(stalls.longestUs, stretch.us);
      for (const [key, us] of stretch.frames) add(stalls.inclusive, key, us);
    }
    stretch = { us: 0, frames: new Map() };
  };
  let sampledAt = profile.startTime;
  profile.samples.forEach((id, index) => {
    sampledAt += profile.timeDeltas[index] ?? 0;
    if (window && (sampledAt < window.fromUs || sampledAt > window.toUs)) return;
    const us = profile.timeDeltas[index + 1] ?? 0;
    const leaf = info.get(id);
    if (leaf.name === '(idle)') {
      endStretch();
      return;
    }
    if (leaf.name === '(program)') return;
    busyUs += us;
    stretch.us += us;
    add(selfByGroup, leaf.group, us);
    add(selfByFunction, leaf.key, us);
    const seen = new Set();
    const stack = [];
    for (let nodeId = id; nodeId !== undefined; nodeId = parentOf.get(nodeId)) {
      const frame = info.get(nodeId);
      if (frame.name === '(root)') break;
      stack.push(`${frame.name} [${frame.group}]`);
      if (!seen.has(frame.key)) {
        seen.add(frame.key);
        add(inclusiveByFunction, frame.key, us);
        add(stretch.frames, frame.key, us);
      }
    }
    add(folded, stack.reverse().join(';'), us);
  });
  const ranked = (map, limit) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([key, us]) => ({ key, us, share: us / busyUs }));
  endStretch();
  return {
    busyUs,
    stalls: {
      count: stalls.count,
      us: stalls.us,
      longestUs: stalls.longestUs,
      inclusive: [...stalls.inclusive.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, topFunctions)
        .map(([key, us]) => ({ key, us, share: us / stalls.us })),
    },
    groups: ranked(selfByGroup, 30),
    self: ranked(selfByFunction, topFunctions),
    inclusive: ranked(inclusiveByFunction, topFunctions * 2),
    folded: [...folded.entries()].map(([stack, us]) => `${stack} ${Math.round(us)}`).join('\n'),
  };
}
