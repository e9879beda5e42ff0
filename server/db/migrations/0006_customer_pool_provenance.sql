ALTER TABLE "customers" ADD COLUMN "previous_consultant_id" integer;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "released_reason" text;--> statement-breakpoint
ALTER TABLE "customers" ADD CONSTRAINT "customers_previous_consultant_id_users_id_fk" FOREIGN KEY ("previous_consultant_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customers" ADD CONSTRAINT "customers_released_reason_check" CHECK ("customers"."released_reason" in ('no_followup', 'no_deal', 'unassigned'));--> statement-breakpoint
-- Customers already in the pool: their last owner and why they left, from their latest period.
UPDATE "customers" c SET
  "previous_consultant_id" = d.consultant_id,
  "released_reason" = CASE d.status WHEN 'released_no_followup' THEN 'no_followup' WHEN 'released_no_deal' THEN 'no_deal' ELSE 'unassigned' END
FROM (
  SELECT DISTINCT ON (customer_id) customer_id, consultant_id, status
  FROM "customer_distributions" ORDER BY customer_id, started_at DESC, id DESC
) d
WHERE c.consultant_id IS NULL AND c.status = 'unregistered' AND d.customer_id = c.id;--> statement-breakpoint
UPDATE "customers" SET "released_reason" = 'unassigned'
WHERE "consultant_id" IS NULL AND "status" = 'unregistered' AND "released_reason" IS NULL;
