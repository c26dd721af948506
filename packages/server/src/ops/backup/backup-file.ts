import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { safeParseJson } from '../../parse-json.js';

/**
 * A Switchyard backup is one file: this line, a JSON manifest line, then the database's own dump
 * (PGlite's gzipped data directory, or pg_dump's compressed custom format). The manifest says what
 * the dump is and what it must contain, so a restore can check it before and after.
 */
const MAGIC = 'SWITCHYARD-BACKUP 1\n';
const MAX_MANIFEST_BYTES = 1024 * 1024;

export const BACKUP_EXTENSION = '.backup';

const manifestSchema = z.object({
  format: z.literal(1),
  backend: z.enum(['embedded', 'postgres']),
  payload: z.enum(['pglite-data-dir.tar.gz', 'pg_dump-custom']),
  payloadBytes: z.number().int().nonnegative(),
  payloadSha256: z.string().regex(/^[0-9a-f]{64}$/),
  createdAt: z.string(),
  switchyardVersion: z.string(),
  databaseVersion: z.string(),
  /** sha256 prefix of the key provider credentials were encrypted under; null if none were stored. */
  secretKeyFingerprint: z.string().nullable(),
  tables: z.array(z.object({ table: z.string(), rows: z.number().int().nonnegative(), checksum: z.string() })),
});
export type BackupManifest = z.infer<typeof manifestSchema>;

/** A problem the person running backup or restore can fix; the message says what and how. */
export class BackupError extends Error {
  override name = 'BackupError';
}

async function sha256OfFile(path: string, start = 0): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(path, { start })) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

/** Writes `out` from a finished dump, atomically: a crash leaves `out.partial`, never a torn backup. */
export async function writeBackupFile(options: {
  out: string;
  payloadFile: string;
  manifest: Omit<BackupManifest, 'format' | 'payloadBytes' | 'payloadSha256'>;
}): Promise<BackupManifest> {
  const { sha256, bytes } = await sha256OfFile(options.payloadFile);
  const manifest: BackupManifest = { format: 1, ...options.manifest, payloadBytes: bytes, payloadSha256: sha256 };
  const partial = `${options.out}.partial`;
  try {
    const output = createWriteStream(partial, { mode: 0o600 });
    output.write(`${MAGIC}${JSON.stringify(manifest)}\n`);
    await pipeline(createReadStream(options.payloadFile), output);
    await rename(partial, options.out);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
  return manifest;
}

/** Whether a file starts like a Switchyard backup (retention deletes nothing else). */
export async function isBackupFile(path: string): Promise<boolean> {
  const handle = await open(path, 'r').catch(() => undefined);
  if (!handle) return false;
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(MAGIC.length), 0, MAGIC.length, 0);
    return buffer.subarray(0, bytesRead).toString('latin1') === MAGIC;
  } finally {
    await handle.close();
  }
}

/** Reads and checks the manifest; the dump starts at `payloadOffset`. */
export async function readBackupHeader(path: string): Promise<{ manifest: BackupManifest; payloadOffset: number }> {
  const handle = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
    throw new BackupError(`Cannot read ${path}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
  });
  try {
    const head = Buffer.alloc(MAGIC.length + MAX_MANIFEST_BYTES);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const text = head.subarray(0, bytesRead);
    if (text.subarray(0, MAGIC.length).toString('latin1') !== MAGIC)
      throw new BackupError(`${path} is not a Switchyard backup (it does not start with "${MAGIC.trim()}")`);
    const end = text.indexOf(0x0a, MAGIC.length);
    if (end < 0) throw new BackupError(`${path} is truncated: its manifest has no end`);
    const parsed = safeParseJson({ text: text.subarray(MAGIC.length, end).toString('utf8') });
    if (!parsed.success) throw new BackupError(`${path} has a damaged manifest (not JSON)`);
    const manifest = manifestSchema.safeParse(parsed.value);
    if (!manifest.success)
      throw new BackupError(`${path} has a manifest this version cannot read: ${manifest.error.issues[0]?.message}`);
    return { manifest: manifest.data, payloadOffset: end + 1 };
  } finally {
    await handle.close();
  }
}

/** Proves the dump is whole and unchanged before anything is replaced. */
export async function verifyPayload(path: string, header: { manifest: BackupManifest; payloadOffset: number }) {
  const { size } = await stat(path);
  const bytes = size - header.payloadOffset;
  if (bytes !== header.manifest.payloadBytes)
    throw new BackupError(
      `${path} is damaged: its dump has ${bytes} bytes, the manifest says ${header.manifest.payloadBytes} (a copy cut short?)`,
    );
  const { sha256 } = await sha256OfFile(path, header.payloadOffset);
  if (sha256 !== header.manifest.payloadSha256)
    throw new BackupError(`${path} is damaged: its dump does not match the manifest's sha256`);
}
