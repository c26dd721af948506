CREATE TABLE "observations" (
	"org_id" uuid NOT NULL,
	"id" text NOT NULL,
	"trace_id" text NOT NULL,
	"parent_id" text,
	"type" text NOT NULL,
	"name" text,
	"provider" text,
	"model" text,
	"start_time" timestamp with time zone NOT NULL,
	"end_time" timestamp with time zone,
	"completion_start_time" timestamp with time zone,
	"ttft_ms" double precision,
	"latency_ms" double precision,
	"input_tokens" integer DEFAULT 0 NOT NULL,
	"output_tokens" integer DEFAULT 0 NOT NULL,
	"cached_input_tokens" integer DEFAULT 0 NOT NULL,
	"cost_usd" double precision,
	"status" text DEFAULT 'success' NOT NULL,
	"level" text DEFAULT 'DEFAULT' NOT NULL,
	"status_code" integer,
	"error" text,
	"cache_status" text,
	"attempts" integer DEFAULT 1 NOT NULL,
	"api_key_id" uuid,
	"input" jsonb,
	"output" jsonb,
	"metadata" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "observations_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
CREATE TABLE "scores" (
	"org_id" uuid NOT NULL,
	"id" text NOT NULL,
	"trace_id" text NOT NULL,
	"observation_id" text,
	"name" text NOT NULL,
	"value" double precision NOT NULL,
	"source" text DEFAULT 'api' NOT NULL,
	"comment" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "scores_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
CREATE TABLE "traces" (
	"org_id" uuid NOT NULL,
	"id" text NOT NULL,
	"name" text,
	"session_id" text,
	"user_id" text,
	"tags" text[] DEFAULT '{}' NOT NULL,
	"metadata" jsonb,
	"input" jsonb,
	"output" jsonb,
	"start_time" timestamp with time zone NOT NULL,
	"end_time" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "traces_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
CREATE TABLE "usage_rollups" (
	"org_id" uuid NOT NULL,
	"bucket_start" timestamp with time zone NOT NULL,
	"provider" text NOT NULL,
	"model" text NOT NULL,
	"api_key_id" text NOT NULL,
	"requests" bigint NOT NULL,
	"errors" bigint NOT NULL,
	"input_tokens" bigint NOT NULL,
	"output_tokens" bigint NOT NULL,
	"cached_input_tokens" bigint NOT NULL,
	"cost_usd" double precision NOT NULL,
	"latency_ms_sum" double precision NOT NULL,
	"latency_histogram" integer[] NOT NULL,
	CONSTRAINT "usage_rollups_org_id_bucket_start_provider_model_api_key_id_pk" PRIMARY KEY("org_id","bucket_start","provider","model","api_key_id")
);
--> statement-breakpoint
ALTER TABLE "observations" ADD CONSTRAINT "observations_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scores" ADD CONSTRAINT "scores_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "traces" ADD CONSTRAINT "traces_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "usage_rollups" ADD CONSTRAINT "usage_rollups_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "observations_org_start_idx" ON "observations" USING btree ("org_id","start_time" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "observations_org_trace_idx" ON "observations" USING btree ("org_id","trace_id");--> statement-breakpoint
CREATE INDEX "scores_org_trace_idx" ON "scores" USING btree ("org_id","trace_id");--> statement-breakpoint
CREATE INDEX "traces_org_start_idx" ON "traces" USING btree ("org_id","start_time" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "traces_org_session_idx" ON "traces" USING btree ("org_id","session_id");