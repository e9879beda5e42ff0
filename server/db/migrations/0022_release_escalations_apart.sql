CREATE TABLE "release_escalations" (
	"customer_id" integer NOT NULL,
	"consultant_id" integer NOT NULL,
	"release_at" timestamp with time zone NOT NULL,
	"reminded_at" timestamp with time zone NOT NULL,
	"escalate_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
-- The reminders still waiting for the escalation move with their times (customer_owners' own
-- columns made every reminder a non-HOT update: docs/benchmarks.md).
INSERT INTO "release_escalations" ("customer_id", "consultant_id", "release_at", "reminded_at", "escalate_at")
SELECT "customer_id", "consultant_id", "reminded_for", "reminded_at", "escalate_at"
FROM "customer_owners"
WHERE "escalate_at" IS NOT NULL AND "reminded_for" IS NOT NULL AND "reminded_at" IS NOT NULL;
--> statement-breakpoint
DROP INDEX "customer_owners_escalate_idx";--> statement-breakpoint
CREATE INDEX "release_escalations_due_idx" ON "release_escalations" USING btree ("escalate_at");--> statement-breakpoint
ALTER TABLE "customer_owners" DROP COLUMN "reminded_at";--> statement-breakpoint
ALTER TABLE "customer_owners" DROP COLUMN "escalate_at";