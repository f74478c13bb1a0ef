-- Least privilege (DESIGN.md §3): the app works as `app_user`, which owns nothing. Every
-- connection the app opens starts as app_user (the `role` startup option; the embedded database
-- switches its one session) and only migrations, backups, restores and seeding keep the owner
-- (createDatabase's `owner`). So app_user gets exactly what the app does, table by table, and
-- nothing else: no DELETE where nothing is ever deleted (orders, their events, stock movements,
-- fabrics, users), no TRUNCATE, no DDL.
-- The orders a signed-in staff member may see (schema.ts: ordersVisible), for the list, its
-- export, packing slips and the home page's counts.
CREATE VIEW "public"."orders_visible" AS (select "id", "number", "user_id", "customer_email", "customer_name", "items", "total_amount", "shipping_amount", "tax_amount", "status", "etsy_order_id", "shipping_address", "carrier", "tracking_number", "notes", "version", "search", "created_at", "updated_at" from "orders" where (select app_current_user_is_staff()));
--> statement-breakpoint
-- Nobody but the owner creates objects in public (PostgreSQL 15 already revokes this from PUBLIC;
-- a database restored or upgraded from an older one may still have it).
DO $$
BEGIN
  REVOKE CREATE ON SCHEMA public FROM PUBLIC;
EXCEPTION WHEN insufficient_privilege THEN
  RAISE NOTICE 'public schema: CREATE for PUBLIC left as it is (not its owner)';
END
$$;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON users, fabrics TO app_user;
--> statement-breakpoint
GRANT SELECT, INSERT ON stock_movements, order_events TO app_user;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON orders TO app_user;
--> statement-breakpoint
GRANT SELECT ON orders_visible TO app_user;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON content_calendar, content_fabrics, calendar_feeds TO app_user;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON analytics, login_tokens, sessions, rate_limit_hits TO app_user;
--> statement-breakpoint
-- The app checks at start that no migration is pending.
GRANT USAGE ON SCHEMA drizzle TO app_user;
--> statement-breakpoint
GRANT SELECT ON drizzle.__drizzle_migrations TO app_user;
--> statement-breakpoint
-- The analytics rollup reads every order and every post, with or without anyone signed in (it
-- runs in the background, and at start), and writes only figures: it works as `app_rollup`.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'app_rollup') THEN
    BEGIN
      CREATE ROLE app_rollup NOLOGIN;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END;
  END IF;
  IF NOT (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user) THEN
    EXECUTE format('GRANT app_rollup TO %I', current_user);
  END IF;
END
$$;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO app_rollup;
--> statement-breakpoint
GRANT SELECT ON orders, content_calendar TO app_rollup;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON analytics TO app_rollup;
--> statement-breakpoint
CREATE POLICY orders_rollup_read ON orders FOR SELECT TO app_rollup USING (true);
--> statement-breakpoint
CREATE POLICY content_calendar_rollup_read ON content_calendar FOR SELECT TO app_rollup USING (true);
