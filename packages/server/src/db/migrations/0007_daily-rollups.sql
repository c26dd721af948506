CREATE TABLE "usage_rollups_daily" (
	"org_id" uuid NOT NULL,
	"bucket_start" timestamp with time zone NOT NULL,
	"provider" text NOT NULL,
	"model" text NOT NULL,
	"api_key_id" text NOT NULL,
	"source" text DEFAULT 'gateway' NOT NULL,
	"requests" bigint NOT NULL,
	"errors" bigint NOT NULL,
	"input_tokens" bigint NOT NULL,
	"output_tokens" bigint NOT NULL,
	"cached_input_tokens" bigint NOT NULL,
	"cost_usd" double precision NOT NULL,
	"latency_ms_sum" double precision NOT NULL,
	"latency_histogram" integer[] NOT NULL,
	CONSTRAINT "usage_rollups_daily_org_id_bucket_start_provider_model_api_key_id_source_pk" PRIMARY KEY("org_id","bucket_start","provider","model","api_key_id","source")
);
--> statement-breakpoint
ALTER TABLE "usage_rollups_daily" ADD CONSTRAINT "usage_rollups_daily_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Existing hourly rollups, summed per UTC day (histograms element-wise: 14 buckets).
INSERT INTO "usage_rollups_daily" SELECT "org_id", date_trunc('day', "bucket_start", 'UTC'), "provider", "model", "api_key_id", "source", sum("requests"), sum("errors"), sum("input_tokens"), sum("output_tokens"), sum("cached_input_tokens"), sum("cost_usd"), sum("latency_ms_sum"), ARRAY[sum(latency_histogram[1])::int, sum(latency_histogram[2])::int, sum(latency_histogram[3])::int, sum(latency_histogram[4])::int, sum(latency_histogram[5])::int, sum(latency_histogram[6])::int, sum(latency_histogram[7])::int, sum(latency_histogram[8])::int, sum(latency_histogram[9])::int, sum(latency_histogram[10])::int, sum(latency_histogram[11])::int, sum(latency_histogram[12])::int, sum(latency_histogram[13])::int, sum(latency_histogram[14])::int] FROM "usage_rollups" GROUP BY 1, 2, 3, 4, 5, 6;
