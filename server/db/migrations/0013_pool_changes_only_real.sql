-- Migration 0012 bumped pool_changes after every statement on these tables, whether or not it
-- changed a row. A grab that took nothing (nine in ten of a storm's) runs its UPDATE on customers
-- over no row, and so ended every instance's kept pool pages. Now a statement bumps only when its
-- transition table holds a row; TRUNCATE, which has none, still bumps always. PostgreSQL allows a
-- transition table only on a trigger for one event, hence three triggers per table.
CREATE OR REPLACE FUNCTION note_pool_change_of_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM changed) THEN
    PERFORM pg_advisory_xact_lock_shared(727300, 0);
    PERFORM nextval('pool_changes');
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
DROP TRIGGER "customers_note_pool_change" ON "customers";
--> statement-breakpoint
CREATE TRIGGER "customers_note_pool_change" AFTER TRUNCATE ON "customers"
  FOR EACH STATEMENT EXECUTE FUNCTION note_pool_change();
--> statement-breakpoint
CREATE TRIGGER "customers_note_pool_insert" AFTER INSERT ON "customers"
  REFERENCING NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION note_pool_change_of_rows();
--> statement-breakpoint
CREATE TRIGGER "customers_note_pool_update" AFTER UPDATE ON "customers"
  REFERENCING NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION note_pool_change_of_rows();
--> statement-breakpoint
CREATE TRIGGER "customers_note_pool_delete" AFTER DELETE ON "customers"
  REFERENCING OLD TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION note_pool_change_of_rows();
--> statement-breakpoint
DROP TRIGGER "customer_courses_note_pool_change" ON "customer_courses";
--> statement-breakpoint
CREATE TRIGGER "customer_courses_note_pool_change" AFTER TRUNCATE ON "customer_courses"
  FOR EACH STATEMENT EXECUTE FUNCTION note_pool_change();
--> statement-breakpoint
CREATE TRIGGER "customer_courses_note_pool_insert" AFTER INSERT ON "customer_courses"
  REFERENCING NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION note_pool_change_of_rows();
--> statement-breakpoint
CREATE TRIGGER "customer_courses_note_pool_update" AFTER UPDATE ON "customer_courses"
  REFERENCING NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION note_pool_change_of_rows();
--> statement-breakpoint
CREATE TRIGGER "customer_courses_note_pool_delete" AFTER DELETE ON "customer_courses"
  REFERENCING OLD TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION note_pool_change_of_rows();
--> statement-breakpoint
DROP TRIGGER "courses_note_pool_change" ON "courses";
--> statement-breakpoint
CREATE TRIGGER "courses_note_pool_change" AFTER TRUNCATE ON "courses"
  FOR EACH STATEMENT EXECUTE FUNCTION note_pool_change();
--> statement-breakpoint
CREATE TRIGGER "courses_note_pool_insert" AFTER INSERT ON "courses"
  REFERENCING NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION note_pool_change_of_rows();
--> statement-breakpoint
CREATE TRIGGER "courses_note_pool_update" AFTER UPDATE ON "courses"
  REFERENCING NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION note_pool_change_of_rows();
--> statement-breakpoint
CREATE TRIGGER "courses_note_pool_delete" AFTER DELETE ON "courses"
  REFERENCING OLD TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION note_pool_change_of_rows();
--> statement-breakpoint
DROP TRIGGER "users_note_pool_change" ON "users";
--> statement-breakpoint
CREATE TRIGGER "users_note_pool_change" AFTER TRUNCATE ON "users"
  FOR EACH STATEMENT EXECUTE FUNCTION note_pool_change();
--> statement-breakpoint
CREATE TRIGGER "users_note_pool_insert" AFTER INSERT ON "users"
  REFERENCING NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION note_pool_change_of_rows();
--> statement-breakpoint
CREATE TRIGGER "users_note_pool_update" AFTER UPDATE ON "users"
  REFERENCING NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION note_pool_change_of_rows();
--> statement-breakpoint
CREATE TRIGGER "users_note_pool_delete" AFTER DELETE ON "users"
  REFERENCING OLD TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION note_pool_change_of_rows();
--> statement-breakpoint
DROP TRIGGER "pool_settings_note_pool_change" ON "pool_settings";
--> statement-breakpoint
CREATE TRIGGER "pool_settings_note_pool_change" AFTER TRUNCATE ON "pool_settings"
  FOR EACH STATEMENT EXECUTE FUNCTION note_pool_change();
--> statement-breakpoint
CREATE TRIGGER "pool_settings_note_pool_insert" AFTER INSERT ON "pool_settings"
  REFERENCING NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION note_pool_change_of_rows();
--> statement-breakpoint
CREATE TRIGGER "pool_settings_note_pool_update" AFTER UPDATE ON "pool_settings"
  REFERENCING NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION note_pool_change_of_rows();
--> statement-breakpoint
CREATE TRIGGER "pool_settings_note_pool_delete" AFTER DELETE ON "pool_settings"
  REFERENCING OLD TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION note_pool_change_of_rows();
