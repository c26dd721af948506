// The placeholder dashboard: static files copied to dist/, which the server serves at /.
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, 'dist');
rmSync(dist, { recursive: true, force: true });
mkdirSync(join(dist, 'assets'), { recursive: true });
cpSync(join(here, 'index.html'), join(dist, 'index.html'));
cpSync(join(here, 'src'), join(dist, 'assets'), { recursive: true });
