import { Gauge, type Registry } from 'prom-client';
import type { BatchWriter } from './batch-writer.js';

/** The batch writer's health on /metrics: records waiting, written, lost to a full buffer, and refused. */
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
  new Gauge({
    name: 'switchyard_records_rejected',
    help: 'Records set aside since start because the database refused their values (see the error log)',
    registers,
    collect() {
      this.set(writer.rejected);
    },
  });
}
