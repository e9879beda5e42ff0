ALTER TABLE "customer_owners" ADD COLUMN "reminded_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "customer_owners" ADD COLUMN "escalate_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "customer_owners_escalate_idx" ON "customer_owners" USING btree ("escalate_at") WHERE "customer_owners"."escalate_at" is not null;