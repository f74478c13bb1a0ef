-- Row-level security on orders (as drizzle/0006_content_rls.sql did for the calendar). The
-- order model places, moves, edits and reads an order as the role `app_user` on behalf of the
-- signed-in staff member (asAppUser in app/services/db.server.ts). The policies then hold even
-- where a query forgets: any enabled staff member reads, places and changes orders; with no
-- user named in the transaction, app_user sees no order at all and can write none. Nobody
-- deletes an order (cancelling is a status). The table owner (migrations, the Etsy import,
-- the dashboard's counts, the analytics rollup) is not subject to these policies.

-- Runs as its owner, so app_user needs no right to read users' roles or states.
CREATE FUNCTION app_current_user_is_staff() RETURNS boolean
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = public, pg_catalog
  AS $$
    SELECT EXISTS (SELECT 1 FROM users WHERE id = app_current_user_id() AND disabled_at IS NULL)
  $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION app_current_user_is_staff() FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION app_current_user_is_staff() TO app_user;
--> statement-breakpoint
-- What placing, moving and reading an order needs, and no more.
GRANT SELECT, INSERT, UPDATE ON orders TO app_user;
--> statement-breakpoint
GRANT USAGE ON SEQUENCE orders_number_seq TO app_user;
--> statement-breakpoint
GRANT SELECT, INSERT ON order_events, stock_movements TO app_user;
--> statement-breakpoint
-- The lines' fabrics: read their price and stock, take and give back stock.
GRANT SELECT (price, stock_quantity) ON fabrics TO app_user;
--> statement-breakpoint
GRANT UPDATE (stock_quantity, in_stock) ON fabrics TO app_user;
--> statement-breakpoint
ALTER TABLE orders ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
-- The (SELECT …) wrapper makes the function run once per statement, not once per row.
CREATE POLICY orders_staff_read ON orders FOR SELECT TO app_user
  USING ((SELECT app_current_user_is_staff()));
--> statement-breakpoint
CREATE POLICY orders_staff_insert ON orders FOR INSERT TO app_user
  WITH CHECK ((SELECT app_current_user_is_staff()));
--> statement-breakpoint
CREATE POLICY orders_staff_update ON orders FOR UPDATE TO app_user
  USING ((SELECT app_current_user_is_staff()))
  WITH CHECK ((SELECT app_current_user_is_staff()));
