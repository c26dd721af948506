import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { jsonObjectSchema, parseJson } from './parse-json.js';

const SERVER_PACKAGE = '@switchyard/server';
let cached: string | undefined;

/** The @switchyard/server folder, found from this module whether it runs from src/ or a build. */
export function serverPackageRoot(): string {
  if (cached) return cached;
  let directory = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(directory, 'package.json');
    if (
      existsSync(manifest) &&
      parseJson({ text: readFileSync(manifest, 'utf8'), schema: jsonObjectSchema }).name === SERVER_PACKAGE
    ) {
      cached = directory;
      return directory;
    }
    const parent = dirname(directory);
    if (parent === directory) throw new Error(`cannot find the ${SERVER_PACKAGE} package folder`);
    directory = parent;
  }
}
