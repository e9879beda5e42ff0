ALTER TABLE "imports" DROP COLUMN "file_path";--> statement-breakpoint
ALTER TABLE "imports" DROP COLUMN "errors";--> statement-breakpoint
ALTER TABLE "imports" DROP COLUMN "error_report_path";