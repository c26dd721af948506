import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: ['./src/db/schema.ts', './src/db/telemetry-schema.ts'],
  out: './src/db/migrations',
});
