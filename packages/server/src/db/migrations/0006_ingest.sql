CREATE TABLE "ingest_events" (
	"org_id" uuid NOT NULL,
	"id" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ingest_events_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
CREATE TABLE "pending_observation_updates" (
	"org_id" uuid NOT NULL,
	"id" text NOT NULL,
	"observation_id" text NOT NULL,
	"sequence" bigint GENERATED ALWAYS AS IDENTITY (sequence name "pending_observation_updates_sequence_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"body" jsonb NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "pending_observation_updates_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
ALTER TABLE "observations" DROP CONSTRAINT "observations_org_id_organizations_id_fk";
--> statement-breakpoint
ALTER TABLE "scores" DROP CONSTRAINT "scores_org_id_organizations_id_fk";
--> statement-breakpoint
ALTER TABLE "traces" DROP CONSTRAINT "traces_org_id_organizations_id_fk";
--> statement-breakpoint
ALTER TABLE "observations" ADD COLUMN "source" text DEFAULT 'gateway' NOT NULL;--> statement-breakpoint
ALTER TABLE "usage_rollups" ADD COLUMN "source" text DEFAULT 'gateway' NOT NULL;--> statement-breakpoint
ALTER TABLE "usage_rollups" DROP CONSTRAINT "usage_rollups_org_id_bucket_start_provider_model_api_key_id_pk";--> statement-breakpoint
ALTER TABLE "usage_rollups" ADD CONSTRAINT "usage_rollups_org_id_bucket_start_provider_model_api_key_id_source_pk" PRIMARY KEY("org_id","bucket_start","provider","model","api_key_id","source");--> statement-breakpoint
CREATE INDEX "ingest_events_received_idx" ON "ingest_events" USING brin ("received_at");--> statement-breakpoint
CREATE INDEX "pending_observation_updates_observation_idx" ON "pending_observation_updates" USING btree ("org_id","observation_id");--> statement-breakpoint
CREATE INDEX "pending_observation_updates_received_idx" ON "pending_observation_updates" USING brin ("received_at");