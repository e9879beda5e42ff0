-- The grams of the name alone, beside those of all four fields: a consultant's keyword may match a
-- customer whose contacts they see masked by its name, or by a whole contact, never by a piece of
-- one, or typing 138, 1380, 13800… would spell out a masked 138****0001 (issue 20, item 3). For a
-- keyword of one or two characters only an index of the names' own grams answers that: the grams of
-- all four fields would hand over every customer whose phone contains "13", each to be read and
-- dropped. Generated, so it can never disagree with the name, and the triggers that keep this table
-- (migration 0014) need not change; adding it rewrites the table once and rebuilds its indexes.
ALTER TABLE "customer_search" ADD COLUMN "name_grams" text[] GENERATED ALWAYS AS (search_grams("name")) STORED NOT NULL;--> statement-breakpoint
CREATE INDEX "customer_search_name_grams_idx" ON "customer_search" USING gin ("name_grams");--> statement-breakpoint
-- As for grams (migration 0014): knowing which pieces of names are rare is what lets PostgreSQL
-- read a rare name's matches first and walk the list in its order for a common one.
ALTER TABLE "customer_search" ALTER COLUMN "name_grams" SET STATISTICS 1000;--> statement-breakpoint
ANALYZE "customer_search";
