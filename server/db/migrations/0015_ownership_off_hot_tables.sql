-- A release (the nightly sweep's, a hundred thousand at a time at a million customers) changes a
-- customer's owner and clocks and ends its period. Every index that names one of those columns
-- makes PostgreSQL write a new entry into every index of the table for each such update; with none,
-- the update is HOT: the new version stays on its page and no index is touched. So the indexes
-- that name what a release changes leave the two tables (docs/benchmarks.md has what it bought):
--   customers: consultant_id (customers_consultant_idx, customers_following_idx) moves to
--     customer_owners, a copy of the owned customers kept by triggers;
--   customer_distributions: status and ended_at (the partial unique index of the one following
--     period, customer_distributions_ended_idx, customer_distributions_enrolled_idx) give way to a
--     trigger that keeps "one following period per customer", and to enrolled_at, a computed
--     column that only an enrolment sets.
-- Both tables keep a tenth of each page free for those updates (fillfactor 90). customer_distributions
-- is rewritten by the new column and so packed that way now; customers' pages gain room as their
-- rows are next updated (a rewrite would hold the table for as long as the whole migration).
CREATE TABLE "customer_owners" (
	"customer_id" integer PRIMARY KEY NOT NULL,
	"consultant_id" integer NOT NULL,
	"name" text NOT NULL,
	"release_at" timestamp with time zone,
	"reminded_for" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "customer_owners" SET (fillfactor = 90);--> statement-breakpoint
-- Filled before its indexes are built. A deadline already reminded of (the sweep wrote one
-- release_reminder per customer, deadline and channel until now) counts as reminded.
INSERT INTO "customer_owners" ("customer_id", "consultant_id", "name", "release_at", "reminded_for")
SELECT c.id, c.consultant_id, c.name, d.release_at,
       CASE WHEN EXISTS (
         SELECT 1 FROM notifications n
         WHERE n.dedupe_key IN (
           SELECT 'release_reminder:' || c.id || ':'
                  || to_char(d.release_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || ':' || ch
           FROM unnest(ARRAY['sms', 'wechat', 'dingtalk', 'email']) AS ch)
       ) THEN d.release_at END
FROM customers c
CROSS JOIN LATERAL (SELECT CASE WHEN c.status = 'unregistered' THEN c.release_at END AS release_at) d
WHERE c.consultant_id IS NOT NULL;--> statement-breakpoint
CREATE INDEX "customer_owners_consultant_idx" ON "customer_owners" USING btree ("consultant_id","release_at","customer_id");--> statement-breakpoint
CREATE INDEX "customer_owners_deadline_idx" ON "customer_owners" USING btree ("release_at","customer_id") WHERE "customer_owners"."release_at" is not null;--> statement-breakpoint
-- Per statement, so that a bulk load or a batch of releases is one set-based write here. An update
-- removes the customers that lost their owner and writes those that have one, but only where the
-- copy differs (a note edited on an owned customer writes nothing).
CREATE OR REPLACE FUNCTION customer_owners_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO customer_owners (customer_id, consultant_id, name, release_at)
  SELECT id, consultant_id, name, CASE WHEN status = 'unregistered' THEN release_at END
  FROM added WHERE consultant_id IS NOT NULL;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
-- The functions that look rows up keep enable_seqscan off: their plans are cached for the life of
-- a connection, and a plan made while a table was nearly empty (a new school, the seed) would scan
-- it whole for each row once it had grown (the seed of a million customers slowed to minutes a
-- batch); with an index to use, it is always the right path here.
CREATE OR REPLACE FUNCTION customer_owners_change() RETURNS trigger LANGUAGE plpgsql SET enable_seqscan = off AS $$
BEGIN
  -- A grab that lost the race runs its update over no row: one look, then nothing.
  IF NOT EXISTS (SELECT 1 FROM changed) THEN
    RETURN NULL;
  END IF;
  DELETE FROM customer_owners o USING changed c WHERE c.consultant_id IS NULL AND o.customer_id = c.id;
  INSERT INTO customer_owners AS o (customer_id, consultant_id, name, release_at)
  SELECT id, consultant_id, name, CASE WHEN status = 'unregistered' THEN release_at END
  FROM changed WHERE consultant_id IS NOT NULL
  ON CONFLICT (customer_id) DO UPDATE
    SET consultant_id = excluded.consultant_id, name = excluded.name, release_at = excluded.release_at
    WHERE (o.consultant_id, o.name, o.release_at)
          IS DISTINCT FROM (excluded.consultant_id, excluded.name, excluded.release_at);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION customer_owners_remove() RETURNS trigger LANGUAGE plpgsql SET enable_seqscan = off AS $$
BEGIN
  DELETE FROM customer_owners WHERE customer_id IN (SELECT id FROM removed);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION customer_owners_clear() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE customer_owners;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "customers_owners_add" AFTER INSERT ON "customers" REFERENCING NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION customer_owners_add();--> statement-breakpoint
CREATE TRIGGER "customers_owners_change" AFTER UPDATE ON "customers" REFERENCING NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION customer_owners_change();--> statement-breakpoint
CREATE TRIGGER "customers_owners_remove" AFTER DELETE ON "customers" REFERENCING OLD TABLE AS removed
  FOR EACH STATEMENT EXECUTE FUNCTION customer_owners_remove();--> statement-breakpoint
CREATE TRIGGER "customers_owners_clear" AFTER TRUNCATE ON "customers"
  FOR EACH STATEMENT EXECUTE FUNCTION customer_owners_clear();--> statement-breakpoint
DROP INDEX "customers_following_idx";--> statement-breakpoint
DROP INDEX "customers_consultant_idx";--> statement-breakpoint
ALTER TABLE "customers" SET (fillfactor = 90);--> statement-breakpoint
-- One following period per customer. Any two writers of one customer's periods must take turns,
-- so that the second sees the first's period and fails as the unique index did, with its name: the
-- customer's row lock is taken first, in a statement of its own (a statement that waited for it
-- would still read the periods as they were when it began). A customer this transaction has
-- already written (age(xmin) = 0: every change of owner updates the customer first, an import
-- inserts it) is locked by it already, and another writer will see this period once it gets the
-- lock; taking the lock again would only write it. Both statements join the new rows themselves:
-- a grab pays ~12 µs for the check, where arrays of ids (= ANY) cost ~80 µs.
CREATE OR REPLACE FUNCTION customer_distributions_opened() RETURNS trigger LANGUAGE plpgsql SET enable_seqscan = off AS $$
BEGIN
  PERFORM 1 FROM customers c
  WHERE c.id IN (SELECT customer_id FROM opened WHERE status = 'following') AND age(c.xmin) <> 0
  ORDER BY c.id FOR NO KEY UPDATE OF c;
  IF EXISTS (
    SELECT 1 FROM opened o
    JOIN customer_distributions d ON d.customer_id = o.customer_id AND d.status = 'following' AND d.id <> o.id
    WHERE o.status = 'following'
  ) THEN
    PERFORM refuse_second_following_period();
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
-- The same for a period made following again (never done by the app).
CREATE OR REPLACE FUNCTION customer_distributions_reopened() RETURNS trigger LANGUAGE plpgsql SET enable_seqscan = off AS $$
BEGIN
  PERFORM 1 FROM customers WHERE id = NEW.customer_id AND age(xmin) <> 0 FOR NO KEY UPDATE;
  IF EXISTS (
    SELECT 1 FROM customer_distributions
    WHERE customer_id = NEW.customer_id AND status = 'following' AND id <> NEW.id
  ) THEN
    PERFORM refuse_second_following_period();
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION refuse_second_following_period() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'a customer has at most one following period'
    USING ERRCODE = 'unique_violation', CONSTRAINT = 'customer_distributions_one_following_key',
          TABLE = 'customer_distributions';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "customer_distributions_opened" AFTER INSERT ON "customer_distributions"
  REFERENCING NEW TABLE AS opened FOR EACH STATEMENT EXECUTE FUNCTION customer_distributions_opened();--> statement-breakpoint
-- Per row, but only for a period made following again (never done by the app): the sweep's ends
-- of periods queue nothing.
CREATE TRIGGER "customer_distributions_reopened" AFTER UPDATE OF "status", "customer_id" ON "customer_distributions"
  FOR EACH ROW WHEN (NEW.status = 'following' AND (OLD.status <> 'following' OR OLD.customer_id <> NEW.customer_id))
  EXECUTE FUNCTION customer_distributions_reopened();--> statement-breakpoint
DROP INDEX "customer_distributions_one_following_key";--> statement-breakpoint
DROP INDEX "customer_distributions_ended_idx";--> statement-breakpoint
DROP INDEX "customer_distributions_enrolled_idx";--> statement-breakpoint
ALTER TABLE "customer_distributions" SET (fillfactor = 90);--> statement-breakpoint
ALTER TABLE "customer_distributions" ADD COLUMN "enrolled_at" timestamp with time zone GENERATED ALWAYS AS (case when status = 'enrolled' then ended_at end) STORED;--> statement-breakpoint
CREATE INDEX "customer_distributions_enrolled_idx" ON "customer_distributions" USING btree ("enrolled_at","consultant_id") WHERE "customer_distributions"."enrolled_at" is not null;--> statement-breakpoint
ANALYZE "customer_owners";--> statement-breakpoint
ANALYZE "customer_distributions";
