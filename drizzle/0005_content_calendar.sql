CREATE TABLE "calendar_feeds" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	CONSTRAINT "calendar_feeds_token_hash_key" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "content_fabrics" (
	"content_id" uuid NOT NULL,
	"fabric_id" uuid NOT NULL,
	CONSTRAINT "content_fabrics_content_id_fabric_id_pk" PRIMARY KEY("content_id","fabric_id")
);
--> statement-breakpoint
ALTER TABLE "content_calendar" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "calendar_feeds" ADD CONSTRAINT "calendar_feeds_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "content_fabrics" ADD CONSTRAINT "content_fabrics_content_id_content_calendar_id_fk" FOREIGN KEY ("content_id") REFERENCES "public"."content_calendar"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "content_fabrics" ADD CONSTRAINT "content_fabrics_fabric_id_fabrics_id_fk" FOREIGN KEY ("fabric_id") REFERENCES "public"."fabrics"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "content_fabrics_fabric_idx" ON "content_fabrics" USING btree ("fabric_id");--> statement-breakpoint
ALTER TABLE "content_calendar" ADD CONSTRAINT "content_instagram_caption_limit" CHECK ("content_calendar"."platform" <> 'instagram' or char_length(coalesce("content_calendar"."description", '')) <= 2200);--> statement-breakpoint
ALTER TABLE "content_calendar" ADD CONSTRAINT "content_pinterest_description_limit" CHECK ("content_calendar"."platform" <> 'pinterest' or char_length(coalesce("content_calendar"."description", '')) <= 500);--> statement-breakpoint
ALTER TABLE "content_calendar" ADD CONSTRAINT "content_instagram_hashtag_limit" CHECK ("content_calendar"."platform" <> 'instagram' or jsonb_array_length("content_calendar"."hashtags") <= 30);