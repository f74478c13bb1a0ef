CREATE TYPE "public"."stock_reason" AS ENUM('received', 'sold', 'damaged', 'correction', 'initial', 'import');--> statement-breakpoint
CREATE TABLE "stock_movements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"fabric_id" uuid NOT NULL,
	"user_id" uuid,
	"delta" integer NOT NULL,
	"reason" "stock_reason" NOT NULL,
	"note" text,
	"quantity_after" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stock_movements_delta_nonzero" CHECK ("stock_movements"."delta" <> 0),
	CONSTRAINT "stock_movements_quantity_after_nonnegative" CHECK ("stock_movements"."quantity_after" >= 0)
);
--> statement-breakpoint
DROP INDEX "fabrics_in_stock_quantity_idx";--> statement-breakpoint
DROP INDEX "fabrics_out_of_stock_idx";--> statement-breakpoint
ALTER TABLE "fabrics" ALTER COLUMN "in_stock" SET DEFAULT false;--> statement-breakpoint
ALTER TABLE "fabrics" ADD COLUMN "low_stock_threshold" integer DEFAULT 5 NOT NULL;--> statement-breakpoint
ALTER TABLE "fabrics" ADD COLUMN "sku" text;--> statement-breakpoint
ALTER TABLE "fabrics" ADD COLUMN "etsy_variations" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "fabrics" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "fabrics" ADD COLUMN "archived_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "fabrics" ADD COLUMN "search" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector('english', coalesce(name, '') || ' ' || translate(coalesce(sku, ''), '-_./', '    ')), 'A') || setweight(jsonb_to_tsvector('english', tags, '["string"]'), 'B') || setweight(to_tsvector('english', coalesce(composition, '')), 'B') || setweight(to_tsvector('english', coalesce(description, '')), 'C')) STORED NOT NULL;--> statement-breakpoint
ALTER TABLE "stock_movements" ADD CONSTRAINT "stock_movements_fabric_id_fabrics_id_fk" FOREIGN KEY ("fabric_id") REFERENCES "public"."fabrics"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_movements" ADD CONSTRAINT "stock_movements_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "stock_movements_fabric_idx" ON "stock_movements" USING btree ("fabric_id","created_at");--> statement-breakpoint
CREATE INDEX "stock_movements_user_idx" ON "stock_movements" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "fabrics_subcategory_idx" ON "fabrics" USING btree ("subcategory");--> statement-breakpoint
CREATE INDEX "fabrics_low_stock_idx" ON "fabrics" USING btree ("stock_quantity","id") WHERE "fabrics"."archived_at" is null and "fabrics"."stock_quantity" > 0 and "fabrics"."stock_quantity" <= "fabrics"."low_stock_threshold";--> statement-breakpoint
CREATE INDEX "fabrics_search_idx" ON "fabrics" USING gin ("search");--> statement-breakpoint
CREATE INDEX "fabrics_tags_idx" ON "fabrics" USING gin ("tags" jsonb_path_ops);--> statement-breakpoint
CREATE INDEX "fabrics_name_idx" ON "fabrics" USING btree ("name","id");--> statement-breakpoint
CREATE INDEX "fabrics_price_idx" ON "fabrics" USING btree ("price","id") WHERE "fabrics"."archived_at" is null;--> statement-breakpoint
CREATE INDEX "fabrics_stock_idx" ON "fabrics" USING btree ("stock_quantity","id") WHERE "fabrics"."archived_at" is null;--> statement-breakpoint
CREATE INDEX "fabrics_updated_at_idx" ON "fabrics" USING btree ("updated_at","id") WHERE "fabrics"."archived_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "fabrics_sku_idx" ON "fabrics" USING btree ("sku");--> statement-breakpoint
CREATE INDEX "fabrics_in_stock_quantity_idx" ON "fabrics" USING btree ("stock_quantity") WHERE "fabrics"."in_stock" and "fabrics"."archived_at" is null;--> statement-breakpoint
CREATE INDEX "fabrics_out_of_stock_idx" ON "fabrics" USING btree ("id") WHERE "fabrics"."stock_quantity" = 0 and "fabrics"."archived_at" is null;--> statement-breakpoint
UPDATE "fabrics" SET "in_stock" = ("stock_quantity" > 0) WHERE "in_stock" <> ("stock_quantity" > 0);--> statement-breakpoint
ALTER TABLE "fabrics" ADD CONSTRAINT "fabrics_in_stock_follows_quantity" CHECK ("fabrics"."in_stock" = ("fabrics"."stock_quantity" > 0));--> statement-breakpoint
ALTER TABLE "fabrics" ADD CONSTRAINT "fabrics_low_stock_threshold_nonnegative" CHECK ("fabrics"."low_stock_threshold" >= 0);