/**
 * How deep stored JSON payloads may nest. Postgres refuses jsonb past its stack depth and
 * JSON.stringify overflows a few thousand levels down; real prompts and tool schemas stay far below.
 */
export const MAX_PAYLOAD_DEPTH = 64;

/** True when `value` nests arrays or objects more than `maxDepth` levels deep (iterative: any depth is safe to ask about). */
export function nestsDeeperThan(value: unknown, maxDepth: number): boolean {
  const pending: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    if (next.value === null || typeof next.value !== 'object') continue;
    if (next.depth >= maxDepth) return true;
    for (const child of Object.values(next.value)) pending.push({ value: child, depth: next.depth + 1 });
  }
  return false;
}
