-- A batch's postings written by one function, which the drain calls again after removing postings
-- found already there (migration 0025 wrote the same INSERT twice in the drain, once per path).
CREATE OR REPLACE FUNCTION customer_grams_post(ids integer[]) RETURNS void LANGUAGE plpgsql AS $$
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
      PERFORM customer_grams_post(ids);
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
      PERFORM customer_grams_post(ids);
    END;
  END IF;
  PERFORM customer_gram_counts_fold();
  RETURN cardinality(ids);
END;
$$;
