-- Keyword search answered in the list's order (issue 24; customerGrams in schema/sales.ts). The GIN
-- indexes of customer_search hand over every match of a keyword, unordered: for a fragment found in
-- tens of thousands of customers, all of them were read and sorted before page 1 was known.
CREATE TABLE "customer_grams" (
	"gram" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"customer_id" integer NOT NULL,
	"status" text NOT NULL,
	"source" text NOT NULL,
	"in_name" boolean NOT NULL
);
--> statement-breakpoint
-- The pieces of one customer's text, each once, with whether the name holds it. Contacts give no
-- 1- or 2-character piece made only of digits: nearly every number holds "1", "3" or "13", so such a
-- keyword is answered by reading the list in its order (search.ts), and their postings would be
-- millions of rows that never narrow anything.
CREATE OR REPLACE FUNCTION customer_grams_of(name text, phone text, qq text, wechat text)
RETURNS TABLE (gram text, in_name boolean)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  SELECT piece, bool_or(field = 1)
  FROM (
    SELECT t.field, substr(t.body, i, n) AS piece
    FROM (SELECT lower(p) AS body, field FROM unnest(ARRAY[name, phone, qq, wechat]) WITH ORDINALITY AS u(p, field)
          WHERE p IS NOT NULL AND p <> '') t,
         generate_series(1, 3) AS n,
         generate_series(1, char_length(t.body) - n + 1) AS i
  ) pieces
  WHERE field = 1 OR char_length(piece) = 3 OR piece !~ '^[0-9]+$'
  GROUP BY piece
$$;
--> statement-breakpoint
-- Filled before its index is built: one sort instead of millions of insertions.
INSERT INTO "customer_grams" ("gram", "created_at", "customer_id", "status", "source", "in_name")
SELECT g.gram, c.created_at, c.id, c.status, c.source, g.in_name
FROM "customers" c, customer_grams_of(c.name, c.phone, c.qq, c.wechat) g;--> statement-breakpoint
-- The walk's order: a range of one gram, newest first, as the customers list is sorted by default.
CREATE UNIQUE INDEX "customer_grams_walk_idx" ON "customer_grams" ("gram", "created_at" DESC, "customer_id")
  INCLUDE ("status", "source", "in_name");--> statement-breakpoint
-- Which pieces are common is how search.ts picks the rarest piece of a longer keyword.
ALTER TABLE "customer_grams" ALTER COLUMN "gram" SET STATISTICS 1000;--> statement-breakpoint
-- Customers whose postings are still to be written (or rewritten): the triggers below only name
-- them, and customer_grams_drain writes their postings behind, a batch at a time, on every instance
-- every second (server/jobs/postings.ts); search reads the waiting customers directly meanwhile
-- (server/modules/customers/walk.ts). Writing ~23 postings per customer inside the
-- statement that adds it made a 100,000-row import take 46 s instead of 9 (docs/benchmarks.md).
CREATE TABLE "customer_grams_pending" (
	"customer_id" integer PRIMARY KEY NOT NULL
);
--> statement-breakpoint
-- The triggers keep the postings whichever path writes customers, as for customer_search (0014):
-- additions and removals per statement, an edit per row and only when it changes what is indexed.
-- An edit takes the customer's pending row (an upsert locks it) before removing its postings: a
-- drain that took the row first commits before, so its postings are seen and removed; a drain that
-- comes later skips the row until the edit commits, and then posts the new text. A removal finds
-- its postings through the index, from the pieces of the text being removed.
CREATE OR REPLACE FUNCTION customer_grams_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO customer_grams_pending (customer_id) SELECT id FROM added ON CONFLICT DO NOTHING;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION customer_grams_edit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO customer_grams_pending (customer_id) VALUES (NEW.id)
  ON CONFLICT (customer_id) DO UPDATE SET customer_id = EXCLUDED.customer_id;
  DELETE FROM customer_grams
  WHERE gram IN (SELECT g.gram FROM customer_grams_of(OLD.name, OLD.phone, OLD.qq, OLD.wechat) g)
    AND created_at = OLD.created_at AND customer_id = OLD.id;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION customer_grams_remove() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM customer_grams_pending WHERE customer_id IN (SELECT id FROM removed);
  DELETE FROM customer_grams c
  USING removed r, customer_grams_of(r.name, r.phone, r.qq, r.wechat) g
  WHERE c.gram = g.gram AND c.created_at = r.created_at AND c.customer_id = r.id;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION customer_grams_clear() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE customer_grams, customer_grams_pending;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
-- Posts up to `batch` waiting customers (those another drain holds are skipped) and says how many.
CREATE OR REPLACE FUNCTION customer_grams_drain(batch integer) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  taken integer;
BEGIN
  WITH t AS (
    DELETE FROM customer_grams_pending WHERE customer_id IN (
      SELECT customer_id FROM customer_grams_pending ORDER BY customer_id LIMIT batch FOR UPDATE SKIP LOCKED)
    RETURNING customer_id
  ), posted AS (
    INSERT INTO customer_grams (gram, created_at, customer_id, status, source, in_name)
    SELECT g.gram, c.created_at, c.id, c.status, c.source, g.in_name
    FROM t JOIN customers c ON c.id = t.customer_id, customer_grams_of(c.name, c.phone, c.qq, c.wechat) g
    -- Never expected (an edit removes the old postings before it names the customer again), but a
    -- posting already there must not stop every later drain.
    ON CONFLICT (gram, created_at, customer_id)
    DO UPDATE SET status = EXCLUDED.status, source = EXCLUDED.source, in_name = EXCLUDED.in_name
  )
  SELECT count(*) INTO taken FROM t;
  RETURN taken;
END;
$$;
--> statement-breakpoint
-- Every customer posted anew in bulk, the index built after its rows (as above): for a school
-- loaded all at once (crm seed --scale), where a million customers posted a batch at a time
-- would each go through the index.
CREATE OR REPLACE FUNCTION customer_grams_rebuild() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE customer_grams, customer_grams_pending;
  DROP INDEX customer_grams_walk_idx;
  INSERT INTO customer_grams (gram, created_at, customer_id, status, source, in_name)
  SELECT g.gram, c.created_at, c.id, c.status, c.source, g.in_name
  FROM customers c, customer_grams_of(c.name, c.phone, c.qq, c.wechat) g;
  CREATE UNIQUE INDEX customer_grams_walk_idx ON customer_grams (gram, created_at DESC, customer_id)
    INCLUDE (status, source, in_name);
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "customers_grams_add" AFTER INSERT ON "customers" REFERENCING NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION customer_grams_add();--> statement-breakpoint
CREATE TRIGGER "customers_grams_edit" AFTER UPDATE OF "name", "phone", "qq", "wechat", "status", "source", "created_at" ON "customers"
  FOR EACH ROW
  WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.phone IS DISTINCT FROM NEW.phone
        OR OLD.qq IS DISTINCT FROM NEW.qq OR OLD.wechat IS DISTINCT FROM NEW.wechat
        OR OLD.status IS DISTINCT FROM NEW.status OR OLD.source IS DISTINCT FROM NEW.source
        OR OLD.created_at IS DISTINCT FROM NEW.created_at)
  EXECUTE FUNCTION customer_grams_edit();--> statement-breakpoint
CREATE TRIGGER "customers_grams_remove" AFTER DELETE ON "customers" REFERENCING OLD TABLE AS removed
  FOR EACH STATEMENT EXECUTE FUNCTION customer_grams_remove();--> statement-breakpoint
CREATE TRIGGER "customers_grams_clear" AFTER TRUNCATE ON "customers"
  FOR EACH STATEMENT EXECUTE FUNCTION customer_grams_clear();--> statement-breakpoint
ANALYZE "customer_grams";
