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
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['customers', 'customer_courses', 'courses', 'users', 'pool_settings'] LOOP
    EXECUTE format('DROP TRIGGER %I ON %I', t || '_note_pool_change', t);
    EXECUTE format('CREATE TRIGGER %I AFTER TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION note_pool_change()',
      t || '_note_pool_change', t);
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS changed'
      ' FOR EACH STATEMENT EXECUTE FUNCTION note_pool_change_of_rows()', t || '_note_pool_insert', t);
    EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING NEW TABLE AS changed'
      ' FOR EACH STATEMENT EXECUTE FUNCTION note_pool_change_of_rows()', t || '_note_pool_update', t);
    EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS changed'
      ' FOR EACH STATEMENT EXECUTE FUNCTION note_pool_change_of_rows()', t || '_note_pool_delete', t);
  END LOOP;
END;
$$;
