ALTER TABLE "organizations" ADD COLUMN "server_providers" boolean DEFAULT false NOT NULL;--> statement-breakpoint
-- The first org of an existing installation (the one the first start created) keeps the server's providers.
UPDATE "organizations" SET "server_providers" = true WHERE "id" = (SELECT "id" FROM "organizations" ORDER BY "created_at", "id" LIMIT 1);
