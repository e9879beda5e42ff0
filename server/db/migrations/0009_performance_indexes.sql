DROP INDEX "consult_records_consultant_idx";--> statement-breakpoint
CREATE INDEX "customer_distributions_enrolled_idx" ON "customer_distributions" USING btree ("ended_at","consultant_id") WHERE "customer_distributions"."status" = 'enrolled';--> statement-breakpoint
CREATE INDEX "consult_records_consultant_idx" ON "consult_records" USING btree ("consultant_id","at","customer_id");