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
-- The triggers keep the postings whichever path writes customers, as for customer_search (0014):
-- additions and removals per statement, an edit per row and only when it changes what is indexed.
-- A removal finds its rows through the index, from the pieces of the text being removed.
CREATE OR REPLACE FUNCTION customer_grams_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO customer_grams (gram, created_at, customer_id, status, source, in_name)
  SELECT g.gram, a.created_at, a.id, a.status, a.source, g.in_name
  FROM added a, customer_grams_of(a.name, a.phone, a.qq, a.wechat) g;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION customer_grams_edit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM customer_grams
  WHERE gram IN (SELECT g.gram FROM customer_grams_of(OLD.name, OLD.phone, OLD.qq, OLD.wechat) g)
    AND created_at = OLD.created_at AND customer_id = OLD.id;
  INSERT INTO customer_grams (gram, created_at, customer_id, status, source, in_name)
  SELECT g.gram, NEW.created_at, NEW.id, NEW.status, NEW.source, g.in_name
  FROM customer_grams_of(NEW.name, NEW.phone, NEW.qq, NEW.wechat) g;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION customer_grams_remove() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM customer_grams c
  USING removed r, customer_grams_of(r.name, r.phone, r.qq, r.wechat) g
  WHERE c.gram = g.gram AND c.created_at = r.created_at AND c.customer_id = r.id;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION customer_grams_clear() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE customer_grams;
  RETURN NULL;
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
