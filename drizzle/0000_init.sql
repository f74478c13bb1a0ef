CREATE TYPE "public"."content_type" AS ENUM('post', 'story', 'reel');--> statement-breakpoint
CREATE TYPE "public"."order_status" AS ENUM('pending', 'processing', 'shipped', 'delivered', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."social_platform" AS ENUM('instagram', 'facebook', 'pinterest');--> statement-breakpoint
CREATE TYPE "public"."user_role" AS ENUM('admin', 'user');--> statement-breakpoint
CREATE TABLE "analytics" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"metric_type" text NOT NULL,
	"metric_value" jsonb NOT NULL,
	"date" date NOT NULL,
	"platform" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "content_calendar" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"platform" "social_platform" NOT NULL,
	"content_type" "content_type" NOT NULL,
	"title" text NOT NULL,
	"description" text,
	"media_urls" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"scheduled_date" timestamp with time zone,
	"published" boolean DEFAULT false NOT NULL,
	"published_date" timestamp with time zone,
	"engagement_metrics" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"hashtags" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "content_published_has_date" CHECK (not "content_calendar"."published" or "content_calendar"."published_date" is not null)
);
--> statement-breakpoint
CREATE TABLE "fabrics" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"category" text,
	"subcategory" text,
	"price" numeric(10, 2) DEFAULT '0' NOT NULL,
	"weight" numeric,
	"width" numeric,
	"composition" text,
	"care_instructions" text,
	"in_stock" boolean DEFAULT true NOT NULL,
	"stock_quantity" integer DEFAULT 0 NOT NULL,
	"images" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"etsy_listing_id" text,
	"tags" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "fabrics_price_nonnegative" CHECK ("fabrics"."price" >= 0),
	CONSTRAINT "fabrics_stock_nonnegative" CHECK ("fabrics"."stock_quantity" >= 0),
	CONSTRAINT "fabrics_weight_nonnegative" CHECK ("fabrics"."weight" >= 0),
	CONSTRAINT "fabrics_width_nonnegative" CHECK ("fabrics"."width" >= 0)
);
--> statement-breakpoint
CREATE TABLE "orders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid,
	"customer_email" text,
	"customer_name" text NOT NULL,
	"items" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"total_amount" numeric(10, 2) DEFAULT '0' NOT NULL,
	"status" "order_status" DEFAULT 'pending' NOT NULL,
	"etsy_order_id" text,
	"shipping_address" jsonb,
	"tracking_number" text,
	"notes" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "orders_total_nonnegative" CHECK ("orders"."total_amount" >= 0)
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"name" text,
	"role" "user_role" DEFAULT 'user' NOT NULL,
	"email_verified" timestamp with time zone,
	"image" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_email_lowercase" CHECK ("users"."email" = lower("users"."email"))
);
--> statement-breakpoint
ALTER TABLE "content_calendar" ADD CONSTRAINT "content_calendar_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "analytics_date_idx" ON "analytics" USING btree ("date");--> statement-breakpoint
CREATE INDEX "analytics_metric_date_idx" ON "analytics" USING btree ("metric_type","date");--> statement-breakpoint
CREATE INDEX "content_scheduled_idx" ON "content_calendar" USING btree ("scheduled_date");--> statement-breakpoint
CREATE INDEX "content_unpublished_scheduled_idx" ON "content_calendar" USING btree ("scheduled_date") WHERE not "content_calendar"."published";--> statement-breakpoint
CREATE INDEX "content_user_idx" ON "content_calendar" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "fabrics_category_idx" ON "fabrics" USING btree ("category");--> statement-breakpoint
CREATE INDEX "fabrics_in_stock_quantity_idx" ON "fabrics" USING btree ("stock_quantity") WHERE "fabrics"."in_stock";--> statement-breakpoint
CREATE INDEX "orders_status_idx" ON "orders" USING btree ("status");--> statement-breakpoint
CREATE INDEX "orders_created_at_idx" ON "orders" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "orders_user_idx" ON "orders" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "orders_etsy_order_id_idx" ON "orders" USING btree ("etsy_order_id");--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_idx" ON "users" USING btree ("email");