CREATE TABLE "teaching_settings" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "teaching_settings_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"singleton" boolean DEFAULT true NOT NULL,
	"absence_streak_lessons" integer DEFAULT 2 NOT NULL,
	CONSTRAINT "teaching_settings_singleton_unique" UNIQUE("singleton"),
	CONSTRAINT "teaching_settings_singleton_check" CHECK ("teaching_settings"."singleton"),
	CONSTRAINT "teaching_settings_absence_streak_check" CHECK ("teaching_settings"."absence_streak_lessons" between 1 and 50)
);
