CREATE SEQUENCE "public"."pool_changes" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
-- Every statement that changes what a pool page shows bumps pool_changes, whichever code path (or
-- hand-written SQL) ran it. Before bumping, its transaction takes a shared advisory lock (727300, 0)
-- that it holds until it ends, so a reader can tell "no writer that bumped is still uncommitted"
-- (server/db/changes.ts): shared locks never wait on each other, so writers do not queue here.
CREATE OR REPLACE FUNCTION note_pool_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock_shared(727300, 0);
  PERFORM nextval('pool_changes');
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "customers_note_pool_change" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "customers"
  FOR EACH STATEMENT EXECUTE FUNCTION note_pool_change();
--> statement-breakpoint
CREATE TRIGGER "customer_courses_note_pool_change" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "customer_courses"
  FOR EACH STATEMENT EXECUTE FUNCTION note_pool_change();
--> statement-breakpoint
CREATE TRIGGER "courses_note_pool_change" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "courses"
  FOR EACH STATEMENT EXECUTE FUNCTION note_pool_change();
--> statement-breakpoint
CREATE TRIGGER "users_note_pool_change" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "users"
  FOR EACH STATEMENT EXECUTE FUNCTION note_pool_change();
--> statement-breakpoint
CREATE TRIGGER "pool_settings_note_pool_change" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "pool_settings"
  FOR EACH STATEMENT EXECUTE FUNCTION note_pool_change();
