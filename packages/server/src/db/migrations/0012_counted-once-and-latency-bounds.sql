ALTER TABLE "observations" ADD COLUMN "duplicate_of" text;--> statement-breakpoint
ALTER TABLE "usage_rollups" ADD COLUMN "latency_ms_min" double precision;--> statement-breakpoint
ALTER TABLE "usage_rollups" ADD COLUMN "latency_ms_max" double precision;--> statement-breakpoint
ALTER TABLE "usage_rollups_daily" ADD COLUMN "latency_ms_min" double precision;--> statement-breakpoint
ALTER TABLE "usage_rollups_daily" ADD COLUMN "latency_ms_max" double precision;