-- Row-level security on the content calendar (DESIGN.md §3). The app reads and writes content
-- as the role `app_user`, which owns nothing, inside a transaction that names the signed-in
-- user: `set_config('role', 'app_user', true)` and `set_config('app.user_id', <id>, true)`
-- (asAppUser in app/services/db.server.ts). The policies then hold even if a model function
-- forgets its own check: everyone signed in reads every entry; only the author, or an enabled
-- admin, inserts, changes or deletes one. With no user named, app_user sees no rows at all.
-- The table owner (migrations, seed, dashboard counts) is not subject to these policies.

-- Roles belong to the whole server, so another database may have made it already.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'app_user') THEN
    BEGIN
      CREATE ROLE app_user NOLOGIN;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END;
  END IF;
  -- A superuser may switch to any role; anyone else (Neon's owner role) needs the membership.
  IF NOT (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user) THEN
    EXECUTE format('GRANT app_user TO %I', current_user);
  END IF;
END
$$;
--> statement-breakpoint
CREATE FUNCTION app_current_user_id() RETURNS uuid
  LANGUAGE sql STABLE
  AS $$ SELECT nullif(current_setting('app.user_id', true), '')::uuid $$;
--> statement-breakpoint
-- Runs as its owner, so app_user needs no right to read roles; true only for an enabled admin.
CREATE FUNCTION app_current_user_is_admin() RETURNS boolean
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = public, pg_catalog
  AS $$
    SELECT EXISTS (
      SELECT 1 FROM users
      WHERE id = app_current_user_id() AND role = 'admin' AND disabled_at IS NULL
    )
  $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION app_current_user_is_admin() FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION app_current_user_id(), app_current_user_is_admin() TO app_user;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO app_user;
--> statement-breakpoint
-- What the calendar's queries need, and no more: authors' names, featured fabrics' names and images.
GRANT SELECT (id, email, name) ON users TO app_user;
--> statement-breakpoint
GRANT SELECT (id, name, sku, images, archived_at) ON fabrics TO app_user;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON content_calendar, content_fabrics TO app_user;
--> statement-breakpoint
ALTER TABLE content_calendar ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
-- The (SELECT …) wrappers make each function run once per statement, not once per row.
CREATE POLICY content_calendar_read ON content_calendar FOR SELECT TO app_user
  USING ((SELECT app_current_user_id()) IS NOT NULL);
--> statement-breakpoint
CREATE POLICY content_calendar_insert ON content_calendar FOR INSERT TO app_user
  WITH CHECK (user_id = (SELECT app_current_user_id()) OR (SELECT app_current_user_is_admin()));
--> statement-breakpoint
CREATE POLICY content_calendar_update ON content_calendar FOR UPDATE TO app_user
  USING (user_id = (SELECT app_current_user_id()) OR (SELECT app_current_user_is_admin()))
  WITH CHECK (user_id = (SELECT app_current_user_id()) OR (SELECT app_current_user_is_admin()));
--> statement-breakpoint
CREATE POLICY content_calendar_delete ON content_calendar FOR DELETE TO app_user
  USING (user_id = (SELECT app_current_user_id()) OR (SELECT app_current_user_is_admin()));
--> statement-breakpoint
ALTER TABLE content_fabrics ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY content_fabrics_read ON content_fabrics FOR SELECT TO app_user
  USING ((SELECT app_current_user_id()) IS NOT NULL);
--> statement-breakpoint
-- A fabric link is written with its entry: only by whoever may change that entry.
CREATE POLICY content_fabrics_write ON content_fabrics FOR ALL TO app_user
  USING (EXISTS (
    SELECT 1 FROM content_calendar c
    WHERE c.id = content_id
      AND (c.user_id = (SELECT app_current_user_id()) OR (SELECT app_current_user_is_admin()))
  ))
  WITH CHECK (EXISTS (
    SELECT 1 FROM content_calendar c
    WHERE c.id = content_id
      AND (c.user_id = (SELECT app_current_user_id()) OR (SELECT app_current_user_is_admin()))
  ));
