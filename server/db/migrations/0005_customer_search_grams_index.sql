CREATE INDEX "customers_search_grams_idx" ON "customers" USING gin (search_grams("name", "phone", "qq", "wechat"));--> statement-breakpoint
-- The planner knows how selective a gram is only from the expression's statistics; without them
-- it guesses and may prefer scanning the table in created_at order.
ANALYZE "customers";
