CREATE TABLE "shop_settings" (
	"id" boolean PRIMARY KEY DEFAULT true NOT NULL,
	"currency" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "shop_settings_one_row" CHECK ("shop_settings"."id"),
	CONSTRAINT "shop_settings_currency_code" CHECK ("shop_settings"."currency" ~ '^[A-Z]{3}$')
);
--> statement-breakpoint
CREATE TRIGGER shop_settings_set_updated_at BEFORE UPDATE ON shop_settings
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();
--> statement-breakpoint
-- The app records the currency when it first starts on an empty shop, and reads it at every start.
GRANT SELECT, INSERT, UPDATE ON shop_settings TO app_user;
