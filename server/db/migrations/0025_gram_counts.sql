-- Keyword counts and 4-character keywords answered from the postings alone (issue 24). A count of
-- a common piece read up to 10,001 index entries (2-3.5 ms); a keyword of four characters, such as
-- a phone's last four digits, was walked along one of its 3-character pieces and checked customer
-- by customer (10-100 ms when common). Now every piece of up to four characters is posted, and each
-- piece's postings are counted by status and source.
CREATE TABLE "customer_gram_count_changes" (
	"gram" text NOT NULL,
	"status" text NOT NULL,
	"source" text NOT NULL,
	"postings" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "customer_gram_counts" (
	"gram" text NOT NULL,
	"status" text NOT NULL,
	"source" text NOT NULL,
	"postings" integer NOT NULL
);
--> statement-breakpoint
-- The count is not in the index, so folding changes in is a HOT update, with room left on each page.
CREATE UNIQUE INDEX "customer_gram_counts_key" ON "customer_gram_counts" ("gram", "status", "source");--> statement-breakpoint
ALTER TABLE "customer_gram_counts" SET (fillfactor = 70);--> statement-breakpoint
CREATE INDEX "customer_gram_count_changes_gram" ON "customer_gram_count_changes" ("gram");--> statement-breakpoint
-- As in 0023, with the 4-character pieces of every field added.
CREATE OR REPLACE FUNCTION customer_grams_of(name text, phone text, qq text, wechat text)
RETURNS TABLE (gram text, in_name boolean)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  SELECT piece, bool_or(field = 1)
  FROM (
    SELECT t.field, substr(t.body, i, n) AS piece
    FROM (SELECT lower(p) AS body, field FROM unnest(ARRAY[name, phone, qq, wechat]) WITH ORDINALITY AS u(p, field)
          WHERE p IS NOT NULL AND p <> '') t,
         generate_series(1, 4) AS n,
         generate_series(1, char_length(t.body) - n + 1) AS i
  ) pieces
  WHERE field = 1 OR char_length(piece) >= 3 OR piece !~ '^[0-9]+$'
  GROUP BY piece
$$;
--> statement-breakpoint
-- Every change to the postings writes its change to the counts in the same transaction: removals
-- here, additions in the drain. So a count read in any snapshot is the count of its postings.
CREATE OR REPLACE FUNCTION customer_grams_edit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO customer_grams_pending (customer_id) VALUES (NEW.id)
  ON CONFLICT (customer_id) DO UPDATE SET customer_id = EXCLUDED.customer_id;
  WITH gone AS (
    DELETE FROM customer_grams
    WHERE gram IN (SELECT g.gram FROM customer_grams_of(OLD.name, OLD.phone, OLD.qq, OLD.wechat) g)
      AND created_at = OLD.created_at AND customer_id = OLD.id
    RETURNING gram, status, source
  )
  INSERT INTO customer_gram_count_changes (gram, status, source, postings)
  SELECT gram, status, source, -1 FROM gone;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION customer_grams_remove() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM customer_grams_pending WHERE customer_id IN (SELECT id FROM removed);
  WITH gone AS (
    DELETE FROM customer_grams c
    USING removed r, customer_grams_of(r.name, r.phone, r.qq, r.wechat) g
    WHERE c.gram = g.gram AND c.created_at = r.created_at AND c.customer_id = r.id
    RETURNING c.gram, c.status, c.source
  )
  INSERT INTO customer_gram_count_changes (gram, status, source, postings)
  SELECT gram, status, source, -count(*) FROM gone GROUP BY gram, status, source;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION customer_grams_clear() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE customer_grams, customer_grams_pending, customer_gram_counts, customer_gram_count_changes;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
-- Folds the waiting changes into the counts. One folder at a time (the others leave it for the next
-- second), so no two wait on each other's counter rows; writers only ever append changes.
CREATE OR REPLACE FUNCTION customer_gram_counts_fold() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF NOT pg_try_advisory_xact_lock(hashtext('customer_gram_counts_fold')) THEN
    RETURN;
  END IF;
  WITH moved AS (DELETE FROM customer_gram_count_changes RETURNING gram, status, source, postings)
  INSERT INTO customer_gram_counts (gram, status, source, postings)
  SELECT gram, status, source, sum(postings) FROM moved GROUP BY gram, status, source
  ORDER BY gram, status, source
  ON CONFLICT (gram, status, source)
  DO UPDATE SET postings = customer_gram_counts.postings + EXCLUDED.postings;
END;
$$;
--> statement-breakpoint
-- The customers are claimed in a statement of their own and read in the next. Read in the claiming
-- statement, a customer was read in that statement's snapshot: an edit committed after the snapshot
-- but before the claim took its pending row was claimed and not seen, and the old text posted
-- (test/keyword-walk.test.ts races them). Read after the claim, every edit that named the customer
-- has committed (the claim waited for or skipped the others, which wait for it in turn).
CREATE OR REPLACE FUNCTION customer_grams_drain(batch integer) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  ids integer[];
BEGIN
  WITH t AS (
    DELETE FROM customer_grams_pending WHERE customer_id IN (
      SELECT customer_id FROM customer_grams_pending ORDER BY customer_id LIMIT batch FOR UPDATE SKIP LOCKED)
    RETURNING customer_id
  )
  SELECT coalesce(array_agg(customer_id), '{}') INTO ids FROM t;
  IF cardinality(ids) > 0 THEN
    BEGIN
      WITH posted AS (
        INSERT INTO customer_grams (gram, created_at, customer_id, status, source, in_name)
        SELECT g.gram, c.created_at, c.id, c.status, c.source, g.in_name
        FROM customers c, customer_grams_of(c.name, c.phone, c.qq, c.wechat) g
        WHERE c.id = ANY(ids)
        RETURNING gram, status, source
      )
      INSERT INTO customer_gram_count_changes (gram, status, source, postings)
      SELECT gram, status, source, count(*) FROM posted GROUP BY gram, status, source;
    EXCEPTION WHEN unique_violation THEN
      -- Never expected (an edit removes the old postings before it names the customer again), but
      -- a posting already there must not stop every later drain: the batch's postings still
      -- standing are removed (and counted off) first, then written.
      WITH gone AS (
        DELETE FROM customer_grams cg
        USING customers c, customer_grams_of(c.name, c.phone, c.qq, c.wechat) g
        WHERE c.id = ANY(ids) AND cg.gram = g.gram AND cg.created_at = c.created_at AND cg.customer_id = c.id
        RETURNING cg.gram, cg.status, cg.source
      )
      INSERT INTO customer_gram_count_changes (gram, status, source, postings)
      SELECT gram, status, source, -count(*) FROM gone GROUP BY gram, status, source;
      WITH posted AS (
        INSERT INTO customer_grams (gram, created_at, customer_id, status, source, in_name)
        SELECT g.gram, c.created_at, c.id, c.status, c.source, g.in_name
        FROM customers c, customer_grams_of(c.name, c.phone, c.qq, c.wechat) g
        WHERE c.id = ANY(ids)
        RETURNING gram, status, source
      )
      INSERT INTO customer_gram_count_changes (gram, status, source, postings)
      SELECT gram, status, source, count(*) FROM posted GROUP BY gram, status, source;
    END;
  END IF;
  PERFORM customer_gram_counts_fold();
  RETURN cardinality(ids);
END;
$$;
--> statement-breakpoint
-- As in 0023, with the counts built from the postings.
CREATE OR REPLACE FUNCTION customer_grams_rebuild() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE customer_grams, customer_grams_pending, customer_gram_counts, customer_gram_count_changes;
  DROP INDEX customer_grams_walk_idx;
  INSERT INTO customer_grams (gram, created_at, customer_id, status, source, in_name)
  SELECT g.gram, c.created_at, c.id, c.status, c.source, g.in_name
  FROM customers c, customer_grams_of(c.name, c.phone, c.qq, c.wechat) g;
  CREATE UNIQUE INDEX customer_grams_walk_idx ON customer_grams (gram, created_at DESC, customer_id)
    INCLUDE (status, source, in_name);
  -- In the order of their key: a piece's counts on one page, not a page each.
  INSERT INTO customer_gram_counts (gram, status, source, postings)
  SELECT gram, status, source, count(*) FROM customer_grams GROUP BY gram, status, source
  ORDER BY gram, status, source;
END;
$$;
--> statement-breakpoint
-- Every customer posted anew with the new pieces, and counted.
SELECT customer_grams_rebuild();--> statement-breakpoint
ANALYZE "customer_grams";--> statement-breakpoint
ANALYZE "customer_gram_counts";
