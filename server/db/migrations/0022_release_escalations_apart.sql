CREATE TABLE "release_escalations" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "release_escalations_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"consultant_id" integer NOT NULL,
	"reminded_at" timestamp with time zone NOT NULL,
	"customer_ids" integer[] NOT NULL,
	"release_ats" timestamp with time zone[] NOT NULL,
	"taken" integer DEFAULT 0 NOT NULL,
	"escalate_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
-- The reminders still waiting for the escalation move, one row per owner and reminder time, in
-- deadline order (customer_owners' own columns made every reminder a non-HOT update).
INSERT INTO "release_escalations" ("consultant_id", "reminded_at", "customer_ids", "release_ats", "escalate_at")
SELECT "consultant_id", "reminded_at",
       array_agg("customer_id" ORDER BY "reminded_for", "customer_id"),
       array_agg("reminded_for" ORDER BY "reminded_for", "customer_id"),
       min("escalate_at")
FROM "customer_owners"
WHERE "escalate_at" IS NOT NULL AND "reminded_for" IS NOT NULL AND "reminded_at" IS NOT NULL
GROUP BY "consultant_id", "reminded_at";
--> statement-breakpoint
DROP INDEX "customer_owners_escalate_idx";--> statement-breakpoint
DROP INDEX "notifications_due_idx";--> statement-breakpoint
CREATE INDEX "release_escalations_due_idx" ON "release_escalations" USING btree ("escalate_at");--> statement-breakpoint
CREATE INDEX "notifications_due_idx" ON "notifications" USING btree ("next_attempt_at","id") WHERE "notifications"."status" in ('pending', 'failed');--> statement-breakpoint
ALTER TABLE "customer_owners" DROP COLUMN "reminded_at";--> statement-breakpoint
ALTER TABLE "customer_owners" DROP COLUMN "escalate_at";