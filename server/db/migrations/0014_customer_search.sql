-- Keyword search moves to a table of its own (see customerSearch in schema/sales.ts): every change
-- of owner writes a new version of the customer's row, and PostgreSQL adds that version to every
-- index of the table, the five GIN indexes included, though the name and contacts they index had
-- not changed. Measured on 1,000,000 customers: releasing 100,000 took 15.5 s in the update of
-- customers with them and 5.3 s without (docs/benchmarks.md).
CREATE TABLE "customer_search" (
	"customer_id" integer PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"phone" text,
	"qq" text,
	"wechat" text,
	"grams" text[] NOT NULL
);
--> statement-breakpoint
-- Filled before its indexes are built: one sort per index instead of a million insertions.
INSERT INTO "customer_search" ("customer_id", "name", "phone", "qq", "wechat", "grams")
SELECT "id", "name", "phone", "qq", "wechat", search_grams("name", "phone", "qq", "wechat") FROM "customers";--> statement-breakpoint
DROP INDEX "customers_name_trgm_idx";--> statement-breakpoint
DROP INDEX "customers_phone_trgm_idx";--> statement-breakpoint
DROP INDEX "customers_qq_trgm_idx";--> statement-breakpoint
DROP INDEX "customers_wechat_trgm_idx";--> statement-breakpoint
DROP INDEX "customers_search_grams_idx";--> statement-breakpoint
CREATE INDEX "customer_search_name_trgm_idx" ON "customer_search" USING gin ("name" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "customer_search_phone_trgm_idx" ON "customer_search" USING gin ("phone" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "customer_search_qq_trgm_idx" ON "customer_search" USING gin ("qq" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "customer_search_wechat_trgm_idx" ON "customer_search" USING gin ("wechat" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "customer_search_grams_idx" ON "customer_search" USING gin ("grams");--> statement-breakpoint
-- As migration 0008 did for the expression index: which grams are rare is what lets PostgreSQL
-- choose this index for a name such as 王芳.
ALTER TABLE "customer_search" ALTER COLUMN "grams" SET STATISTICS 1000;--> statement-breakpoint
-- The triggers keep the copy whichever path writes customers (the app, an import, the seed, plain
-- SQL). New and removed customers are handled per statement, so a bulk load is one insertion; an
-- edit fires per row, and only when it sets one of the four columns and changes it, so a change of
-- owner (which sets none of them) costs nothing here.
CREATE OR REPLACE FUNCTION customer_search_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO customer_search (customer_id, name, phone, qq, wechat, grams)
  SELECT id, name, phone, qq, wechat, search_grams(name, phone, qq, wechat) FROM added;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION customer_search_edit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE customer_search
  SET name = NEW.name, phone = NEW.phone, qq = NEW.qq, wechat = NEW.wechat,
      grams = search_grams(NEW.name, NEW.phone, NEW.qq, NEW.wechat)
  WHERE customer_id = NEW.id;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION customer_search_remove() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM customer_search WHERE customer_id IN (SELECT id FROM removed);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION customer_search_clear() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE customer_search;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "customers_search_add" AFTER INSERT ON "customers" REFERENCING NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION customer_search_add();--> statement-breakpoint
CREATE TRIGGER "customers_search_edit" AFTER UPDATE OF "name", "phone", "qq", "wechat" ON "customers"
  FOR EACH ROW
  WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.phone IS DISTINCT FROM NEW.phone
        OR OLD.qq IS DISTINCT FROM NEW.qq OR OLD.wechat IS DISTINCT FROM NEW.wechat)
  EXECUTE FUNCTION customer_search_edit();--> statement-breakpoint
CREATE TRIGGER "customers_search_remove" AFTER DELETE ON "customers" REFERENCING OLD TABLE AS removed
  FOR EACH STATEMENT EXECUTE FUNCTION customer_search_remove();--> statement-breakpoint
CREATE TRIGGER "customers_search_clear" AFTER TRUNCATE ON "customers"
  FOR EACH STATEMENT EXECUTE FUNCTION customer_search_clear();--> statement-breakpoint
ANALYZE "customer_search";
