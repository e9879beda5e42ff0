ALTER TABLE "import_errors" ADD COLUMN "code" text;--> statement-breakpoint
ALTER TABLE "import_errors" ADD COLUMN "params" jsonb;--> statement-breakpoint
ALTER TABLE "imports" ADD COLUMN "failure_code" text;--> statement-breakpoint
ALTER TABLE "imports" ADD COLUMN "failure_params" jsonb;