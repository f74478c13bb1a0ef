-- Analytics: one figure per metric, day and platform ('' = all platforms), written by upsert
-- (app/models/analytics.server.ts). Rows written before this migration are brought into shape
-- first: no platform becomes '', and of duplicates the newest row is kept.
UPDATE "analytics" SET "platform" = '' WHERE "platform" IS NULL;--> statement-breakpoint
DELETE FROM "analytics" a USING "analytics" b
  WHERE a."metric_type" = b."metric_type" AND a."date" = b."date" AND a."platform" = b."platform"
    AND (a."created_at", a."id") < (b."created_at", b."id");--> statement-breakpoint
DROP INDEX "analytics_metric_date_idx";--> statement-breakpoint
ALTER TABLE "analytics" ALTER COLUMN "platform" SET DEFAULT '';--> statement-breakpoint
ALTER TABLE "analytics" ALTER COLUMN "platform" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "analytics" ADD COLUMN "user_id" uuid;--> statement-breakpoint
ALTER TABLE "analytics" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "analytics" ADD CONSTRAINT "analytics_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "analytics_metric_date_platform_idx" ON "analytics" USING btree ("metric_type","date","platform");--> statement-breakpoint
ALTER TABLE "analytics" ADD CONSTRAINT "analytics_metric_type_name" CHECK ("analytics"."metric_type" ~ '^[a-z][a-z0-9_]{1,39}$');--> statement-breakpoint
ALTER TABLE "analytics" ADD CONSTRAINT "analytics_platform_known" CHECK ("analytics"."platform" in ('', 'etsy', 'shop', 'instagram', 'facebook', 'pinterest'));--> statement-breakpoint
ALTER TABLE "analytics" ADD CONSTRAINT "analytics_value_is_number" CHECK (jsonb_typeof("analytics"."metric_value" -> 'value') = 'number');--> statement-breakpoint
CREATE TRIGGER analytics_set_updated_at BEFORE UPDATE ON analytics
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();
