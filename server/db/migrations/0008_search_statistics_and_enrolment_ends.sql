-- Which two-character pieces are rare is what lets PostgreSQL choose the grams index for a name
-- such as 王芳: track ten times the default number of common elements, so that a rare gram is not
-- estimated as common (and answered by walking a million rows in date order).
ALTER INDEX "customers_search_grams_idx" ALTER COLUMN 1 SET STATISTICS 1000;--> statement-breakpoint
-- search_grams is far dearer per row than a comparison: say so, so that plans filtering rows
-- through it (instead of reading its index) look as costly as they are.
ALTER FUNCTION search_grams(text[]) COST 5000;--> statement-breakpoint
-- Enrolment ends its period at the payment; periods loaded before that rule lacked the end, so
-- month-end performance counted no enrolments for them.
UPDATE "customer_distributions" d SET "ended_at" = greatest(p.first_paid, d.started_at)
FROM (
  SELECT customer_id, min(paid_at) AS first_paid FROM "payment_records"
  WHERE pay_type IN ('deposit', 'tuition') GROUP BY customer_id
) p
WHERE d.status = 'enrolled' AND d.ended_at IS NULL AND p.customer_id = d.customer_id;--> statement-breakpoint
ANALYZE "customers";
