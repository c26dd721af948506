export { type App, type AppDependencies, buildApp } from './app.js';
export { runCli } from './cli.js';
export { type Config, ConfigError, loadConfig } from './config.js';
export { openDatabase } from './db/client.js';
export { createKv } from './kv/create-kv.js';
export { type RunningServer, startServer } from './server.js';
