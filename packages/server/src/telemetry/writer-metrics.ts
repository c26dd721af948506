import { Gauge, type Registry } from 'prom-client';
import type { BatchWriter } from './batch-writer.js';

/** The batch writer's health on /metrics: records waiting, written and lost to a full buffer. */
export function registerWriterMetrics(registry: Registry, writer: BatchWriter): void {
  const registers = [registry];
  new Gauge({
    name: 'switchyard_records_buffered',
    help: 'Records accepted but not yet written to Postgres',
    registers,
    collect() {
      this.set(writer.buffered);
    },
  });
  new Gauge({
    name: 'switchyard_records_written',
    help: 'Observations written since start',
    registers,
    collect() {
      this.set(writer.written);
    },
  });
  new Gauge({
    name: 'switchyard_records_dropped',
    help: 'Records dropped since start because the buffer was full while Postgres was away',
    registers,
    collect() {
      this.set(writer.dropped);
    },
  });
}
