CREATE TABLE "imports" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "imports_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"user_id" integer NOT NULL,
	"file_name" text NOT NULL,
	"file_path" text,
	"file_size" integer DEFAULT 0 NOT NULL,
	"mode" text NOT NULL,
	"assign" text DEFAULT 'rotation' NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"total_rows" integer DEFAULT 0 NOT NULL,
	"processed_rows" integer DEFAULT 0 NOT NULL,
	"created_count" integer DEFAULT 0 NOT NULL,
	"skipped_count" integer DEFAULT 0 NOT NULL,
	"error_count" integer DEFAULT 0 NOT NULL,
	"errors" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"error_report_path" text,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	CONSTRAINT "imports_mode_check" CHECK ("imports"."mode" in ('preview', 'commit')),
	CONSTRAINT "imports_assign_check" CHECK ("imports"."assign" in ('rotation', 'column', 'pool')),
	CONSTRAINT "imports_status_check" CHECK ("imports"."status" in ('queued', 'running', 'done', 'failed')),
	CONSTRAINT "imports_progress_check" CHECK ("imports"."processed_rows" >= 0 and "imports"."total_rows" >= 0)
);
--> statement-breakpoint
CREATE TABLE "jobs" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "jobs_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"kind" text NOT NULL,
	"run_key" text,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"run_at" timestamp with time zone NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"locked_by" text,
	"locked_until" timestamp with time zone,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"result" jsonb,
	"last_error" text,
	CONSTRAINT "jobs_run_key_unique" UNIQUE("run_key"),
	CONSTRAINT "jobs_status_check" CHECK ("jobs"."status" in ('queued', 'running', 'done', 'failed'))
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "notifications_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"user_id" integer NOT NULL,
	"channel" text NOT NULL,
	"event" text NOT NULL,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"dedupe_key" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone,
	"last_error" text,
	"sent_at" timestamp with time zone,
	CONSTRAINT "notifications_dedupe_key_unique" UNIQUE("dedupe_key"),
	CONSTRAINT "notifications_channel_check" CHECK ("notifications"."channel" in ('sms', 'wechat', 'dingtalk', 'email')),
	CONSTRAINT "notifications_status_check" CHECK ("notifications"."status" in ('pending', 'sent', 'failed', 'dead', 'skipped'))
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "audit_log_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_id" integer,
	"action" text NOT NULL,
	"entity" text NOT NULL,
	"entity_id" integer,
	"before" jsonb,
	"after" jsonb,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "departments" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "departments_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"code" integer NOT NULL,
	"title" text NOT NULL,
	CONSTRAINT "departments_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "login_failures" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "login_failures_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"username" text NOT NULL,
	"ip" text,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "menus" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "menus_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"key" text NOT NULL,
	"title" text NOT NULL,
	"title_en" text DEFAULT '' NOT NULL,
	"icon" text DEFAULT '' NOT NULL,
	"sort" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "menus_key_unique" UNIQUE("key")
);
--> statement-breakpoint
CREATE TABLE "permissions" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "permissions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"code" text NOT NULL,
	"title" text NOT NULL,
	"title_en" text DEFAULT '' NOT NULL,
	"menu_id" integer,
	"kind" text NOT NULL,
	"path" text,
	"icon" text,
	"parent_code" text,
	"sort" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "permissions_code_unique" UNIQUE("code"),
	CONSTRAINT "permissions_kind_check" CHECK ("permissions"."kind" in ('page', 'action')),
	CONSTRAINT "permissions_page_path_check" CHECK ("permissions"."kind" <> 'page' or "permissions"."path" is not null)
);
--> statement-breakpoint
CREATE TABLE "role_permissions" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "role_permissions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"role_id" integer NOT NULL,
	"permission_code" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "roles" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "roles_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"code" text NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	CONSTRAINT "roles_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "sessions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"token_hash" text NOT NULL,
	"user_id" integer NOT NULL,
	"csrf_token" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	"ip" text,
	"user_agent" text,
	CONSTRAINT "sessions_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "user_roles" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "user_roles_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"user_id" integer NOT NULL,
	"role_id" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "users_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"username" text NOT NULL,
	"name" text NOT NULL,
	"password_hash" text NOT NULL,
	"email" text,
	"phone" text,
	"department_id" integer,
	"wechat_openid" text,
	"dingtalk_user_id" text,
	"active" boolean DEFAULT true NOT NULL,
	"notify_channels" text[] DEFAULT '{}'::text[] NOT NULL,
	CONSTRAINT "users_username_unique" UNIQUE("username"),
	CONSTRAINT "users_wechat_openid_unique" UNIQUE("wechat_openid"),
	CONSTRAINT "users_notify_channels_check" CHECK ("users"."notify_channels" <@ array['sms', 'wechat', 'dingtalk', 'email']::text[]),
	CONSTRAINT "users_username_check" CHECK ("users"."username" ~ '^[A-Za-z0-9_.-]{2,64}$')
);
--> statement-breakpoint
CREATE TABLE "consult_records" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "consult_records_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"customer_id" integer NOT NULL,
	"consultant_id" integer NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"channel" text DEFAULT 'phone' NOT NULL,
	"note" text NOT NULL,
	CONSTRAINT "consult_records_channel_check" CHECK ("consult_records"."channel" in ('phone', 'wechat', 'qq', 'visit', 'other')),
	CONSTRAINT "consult_records_note_check" CHECK (btrim("consult_records"."note") <> '')
);
--> statement-breakpoint
CREATE TABLE "customer_courses" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "customer_courses_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"customer_id" integer NOT NULL,
	"course_id" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "customer_distributions" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "customer_distributions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"customer_id" integer NOT NULL,
	"consultant_id" integer NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone,
	"status" text DEFAULT 'following' NOT NULL,
	"via" text NOT NULL,
	"memo" text DEFAULT '' NOT NULL,
	CONSTRAINT "customer_distributions_status_check" CHECK ("customer_distributions"."status" in ('following', 'enrolled', 'released_no_followup', 'released_no_deal', 'reassigned')),
	CONSTRAINT "customer_distributions_via_check" CHECK ("customer_distributions"."via" in ('assigned', 'imported', 'grabbed', 'manual')),
	CONSTRAINT "customer_distributions_following_open_check" CHECK (("customer_distributions"."status" = 'following') = ("customer_distributions"."ended_at" is null)
      or "customer_distributions"."status" = 'enrolled'),
	CONSTRAINT "customer_distributions_period_check" CHECK ("customer_distributions"."ended_at" is null or "customer_distributions"."ended_at" >= "customer_distributions"."started_at")
);
--> statement-breakpoint
CREATE TABLE "customers" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "customers_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"name" text NOT NULL,
	"qq" text,
	"phone" text,
	"wechat" text,
	"phone_norm" text GENERATED ALWAYS AS (nullif(regexp_replace(regexp_replace("phone", '[^0-9]', '', 'g'), '^(?:0086|86)(1[0-9]{10})$', '\1'), '')) STORED,
	"qq_norm" text GENERATED ALWAYS AS (nullif(regexp_replace("qq", '[^0-9]', '', 'g'), '')) STORED,
	"wechat_norm" text GENERATED ALWAYS AS (nullif(lower(regexp_replace("wechat", '\s', '', 'g')), '')) STORED,
	"gender" text,
	"education" text,
	"graduation_school" text DEFAULT '' NOT NULL,
	"major" text DEFAULT '' NOT NULL,
	"experience" text,
	"work_status" text,
	"company" text DEFAULT '' NOT NULL,
	"salary" text DEFAULT '' NOT NULL,
	"source" text DEFAULT 'other' NOT NULL,
	"referral_from_id" integer,
	"class_type" text,
	"note" text DEFAULT '' NOT NULL,
	"status" text DEFAULT 'unregistered' NOT NULL,
	"consultant_id" integer,
	"recv_at" timestamp with time zone,
	"last_consult_at" timestamp with time zone,
	"release_at" timestamp with time zone,
	CONSTRAINT "customers_contact_check" CHECK (coalesce(btrim("customers"."phone"), '') <> '' or coalesce(btrim("customers"."qq"), '') <> '' or coalesce(btrim("customers"."wechat"), '') <> ''),
	CONSTRAINT "customers_name_check" CHECK (btrim("customers"."name") <> ''),
	CONSTRAINT "customers_referral_check" CHECK ("customers"."referral_from_id" is null or "customers"."referral_from_id" <> "customers"."id"),
	CONSTRAINT "customers_gender_check" CHECK ("customers"."gender" in ('male', 'female')),
	CONSTRAINT "customers_education_check" CHECK ("customers"."education" in ('key_university', 'regular_university', 'independent_college', 'private_university', 'junior_college', 'private_junior_college', 'high_school', 'other')),
	CONSTRAINT "customers_experience_check" CHECK ("customers"."experience" in ('student', 'fresh_graduate', 'under_half_year', 'half_to_one_year', 'one_to_three_years', 'three_to_five_years', 'over_five_years')),
	CONSTRAINT "customers_work_status_check" CHECK ("customers"."work_status" in ('employed', 'unemployed')),
	CONSTRAINT "customers_source_check" CHECK ("customers"."source" in ('qq_group', 'referral', 'website', 'baidu', 'so360', 'sogou', 'tencent_classroom', 'gdt', 'campus_talk', 'agent', 'cto51', 'zhihuitui', 'union', 'dsp', 'seo', 'other')),
	CONSTRAINT "customers_class_type_check" CHECK ("customers"."class_type" in ('fulltime', 'online', 'weekend')),
	CONSTRAINT "customers_status_check" CHECK ("customers"."status" in ('unregistered', 'enrolled'))
);
--> statement-breakpoint
CREATE TABLE "payment_records" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "payment_records_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"customer_id" integer NOT NULL,
	"class_id" integer NOT NULL,
	"pay_type" text NOT NULL,
	"paid_fee" numeric(12, 2) NOT NULL,
	"quote" numeric(12, 2),
	"turnover" numeric(12, 2),
	"consultant_id" integer,
	"note" text DEFAULT '' NOT NULL,
	"paid_at" timestamp with time zone NOT NULL,
	"confirmed_by" integer,
	"confirmed_at" timestamp with time zone,
	CONSTRAINT "payment_records_pay_type_check" CHECK ("payment_records"."pay_type" in ('deposit', 'tuition', 'transfer', 'withdraw', 'refund')),
	CONSTRAINT "payment_records_confirm_check" CHECK (("payment_records"."confirmed_by" is null) = ("payment_records"."confirmed_at" is null))
);
--> statement-breakpoint
CREATE TABLE "pool_settings" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "pool_settings_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"singleton" boolean DEFAULT true NOT NULL,
	"follow_up_days" integer DEFAULT 3 NOT NULL,
	"deal_days" integer DEFAULT 15 NOT NULL,
	"previous_owner_cooldown_days" integer,
	"daily_grab_limit" integer DEFAULT 0 NOT NULL,
	"max_owned" integer DEFAULT 0 NOT NULL,
	"remind_days_before" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "pool_settings_singleton_unique" UNIQUE("singleton"),
	CONSTRAINT "pool_settings_singleton_check" CHECK ("pool_settings"."singleton"),
	CONSTRAINT "pool_settings_follow_up_days_check" CHECK ("pool_settings"."follow_up_days" > 0),
	CONSTRAINT "pool_settings_deal_days_check" CHECK ("pool_settings"."deal_days" > 0),
	CONSTRAINT "pool_settings_cooldown_check" CHECK ("pool_settings"."previous_owner_cooldown_days" is null or "pool_settings"."previous_owner_cooldown_days" >= 0),
	CONSTRAINT "pool_settings_daily_grab_limit_check" CHECK ("pool_settings"."daily_grab_limit" >= 0),
	CONSTRAINT "pool_settings_max_owned_check" CHECK ("pool_settings"."max_owned" >= 0),
	CONSTRAINT "pool_settings_remind_days_check" CHECK ("pool_settings"."remind_days_before" >= 0)
);
--> statement-breakpoint
CREATE TABLE "sale_ranks" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "sale_ranks_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"consultant_id" integer NOT NULL,
	"weight" integer DEFAULT 1 NOT NULL,
	"daily_quota" integer DEFAULT 0 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"current_weight" integer DEFAULT 0 NOT NULL,
	"assigned_today" integer DEFAULT 0 NOT NULL,
	"assigned_on" date,
	CONSTRAINT "sale_ranks_consultant_id_unique" UNIQUE("consultant_id"),
	CONSTRAINT "sale_ranks_weight_check" CHECK ("sale_ranks"."weight" >= 0),
	CONSTRAINT "sale_ranks_daily_quota_check" CHECK ("sale_ranks"."daily_quota" >= 0),
	CONSTRAINT "sale_ranks_assigned_today_check" CHECK ("sale_ranks"."assigned_today" >= 0)
);
--> statement-breakpoint
CREATE TABLE "class_teachers" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "class_teachers_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"class_id" integer NOT NULL,
	"teacher_id" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "classes" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "classes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"school_id" integer NOT NULL,
	"course_id" integer NOT NULL,
	"semester" integer NOT NULL,
	"price" numeric(12, 2) DEFAULT '0' NOT NULL,
	"start_date" date NOT NULL,
	"graduate_date" date,
	"memo" text DEFAULT '' NOT NULL,
	"tutor_id" integer,
	CONSTRAINT "classes_semester_check" CHECK ("classes"."semester" > 0),
	CONSTRAINT "classes_price_check" CHECK ("classes"."price" >= 0),
	CONSTRAINT "classes_dates_check" CHECK ("classes"."graduate_date" is null or "classes"."graduate_date" >= "classes"."start_date")
);
--> statement-breakpoint
CREATE TABLE "course_records" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "course_records_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"class_id" integer NOT NULL,
	"day_num" integer NOT NULL,
	"teacher_id" integer,
	"date" date NOT NULL,
	"title" text DEFAULT '' NOT NULL,
	"memo" text DEFAULT '' NOT NULL,
	"has_homework" boolean DEFAULT false NOT NULL,
	"homework_title" text DEFAULT '' NOT NULL,
	"homework_memo" text DEFAULT '' NOT NULL,
	"exam" text DEFAULT '' NOT NULL,
	CONSTRAINT "course_records_day_num_check" CHECK ("course_records"."day_num" > 0)
);
--> statement-breakpoint
CREATE TABLE "courses" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "courses_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"name" text NOT NULL,
	CONSTRAINT "courses_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "schools" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "schools_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"title" text NOT NULL,
	CONSTRAINT "schools_title_unique" UNIQUE("title")
);
--> statement-breakpoint
CREATE TABLE "student_classes" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "student_classes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"student_id" integer NOT NULL,
	"class_id" integer NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	CONSTRAINT "student_classes_status_check" CHECK ("student_classes"."status" in ('active', 'withdrawn'))
);
--> statement-breakpoint
CREATE TABLE "students" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "students_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"customer_id" integer NOT NULL,
	"emergency_contact" text DEFAULT '' NOT NULL,
	"company" text DEFAULT '' NOT NULL,
	"location" text DEFAULT '' NOT NULL,
	"position" text DEFAULT '' NOT NULL,
	"salary" numeric(12, 2),
	"welfare" text DEFAULT '' NOT NULL,
	"hired_at" date,
	"memo" text DEFAULT '' NOT NULL,
	CONSTRAINT "students_customer_id_unique" UNIQUE("customer_id")
);
--> statement-breakpoint
CREATE TABLE "study_records" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "study_records_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"course_record_id" integer NOT NULL,
	"student_id" integer NOT NULL,
	"attendance" text DEFAULT 'checked' NOT NULL,
	"score" integer DEFAULT -1 NOT NULL,
	"homework_note" text DEFAULT '' NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	CONSTRAINT "study_records_attendance_check" CHECK ("study_records"."attendance" in ('checked', 'vacate', 'late', 'noshow', 'leave_early')),
	CONSTRAINT "study_records_score_check" CHECK ("study_records"."score" in (100, 90, 85, 80, 70, 60, 50, 40, 0, -1, -100, -1000))
);
--> statement-breakpoint
ALTER TABLE "imports" ADD CONSTRAINT "imports_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "permissions" ADD CONSTRAINT "permissions_menu_id_menus_id_fk" FOREIGN KEY ("menu_id") REFERENCES "public"."menus"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "permissions" ADD CONSTRAINT "permissions_parent_code_permissions_code_fk" FOREIGN KEY ("parent_code") REFERENCES "public"."permissions"("code") ON DELETE set null ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "role_permissions" ADD CONSTRAINT "role_permissions_role_id_roles_id_fk" FOREIGN KEY ("role_id") REFERENCES "public"."roles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "role_permissions" ADD CONSTRAINT "role_permissions_permission_code_permissions_code_fk" FOREIGN KEY ("permission_code") REFERENCES "public"."permissions"("code") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_roles" ADD CONSTRAINT "user_roles_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_roles" ADD CONSTRAINT "user_roles_role_id_roles_id_fk" FOREIGN KEY ("role_id") REFERENCES "public"."roles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consult_records" ADD CONSTRAINT "consult_records_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consult_records" ADD CONSTRAINT "consult_records_consultant_id_users_id_fk" FOREIGN KEY ("consultant_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_courses" ADD CONSTRAINT "customer_courses_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_courses" ADD CONSTRAINT "customer_courses_course_id_courses_id_fk" FOREIGN KEY ("course_id") REFERENCES "public"."courses"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_distributions" ADD CONSTRAINT "customer_distributions_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_distributions" ADD CONSTRAINT "customer_distributions_consultant_id_users_id_fk" FOREIGN KEY ("consultant_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customers" ADD CONSTRAINT "customers_referral_from_id_customers_id_fk" FOREIGN KEY ("referral_from_id") REFERENCES "public"."customers"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customers" ADD CONSTRAINT "customers_consultant_id_users_id_fk" FOREIGN KEY ("consultant_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_records" ADD CONSTRAINT "payment_records_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_records" ADD CONSTRAINT "payment_records_class_id_classes_id_fk" FOREIGN KEY ("class_id") REFERENCES "public"."classes"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_records" ADD CONSTRAINT "payment_records_consultant_id_users_id_fk" FOREIGN KEY ("consultant_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_records" ADD CONSTRAINT "payment_records_confirmed_by_users_id_fk" FOREIGN KEY ("confirmed_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sale_ranks" ADD CONSTRAINT "sale_ranks_consultant_id_users_id_fk" FOREIGN KEY ("consultant_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "class_teachers" ADD CONSTRAINT "class_teachers_class_id_classes_id_fk" FOREIGN KEY ("class_id") REFERENCES "public"."classes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "class_teachers" ADD CONSTRAINT "class_teachers_teacher_id_users_id_fk" FOREIGN KEY ("teacher_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "classes" ADD CONSTRAINT "classes_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "classes" ADD CONSTRAINT "classes_course_id_courses_id_fk" FOREIGN KEY ("course_id") REFERENCES "public"."courses"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "classes" ADD CONSTRAINT "classes_tutor_id_users_id_fk" FOREIGN KEY ("tutor_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "course_records" ADD CONSTRAINT "course_records_class_id_classes_id_fk" FOREIGN KEY ("class_id") REFERENCES "public"."classes"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "course_records" ADD CONSTRAINT "course_records_teacher_id_users_id_fk" FOREIGN KEY ("teacher_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "student_classes" ADD CONSTRAINT "student_classes_student_id_students_id_fk" FOREIGN KEY ("student_id") REFERENCES "public"."students"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "student_classes" ADD CONSTRAINT "student_classes_class_id_classes_id_fk" FOREIGN KEY ("class_id") REFERENCES "public"."classes"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "students" ADD CONSTRAINT "students_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "study_records" ADD CONSTRAINT "study_records_course_record_id_course_records_id_fk" FOREIGN KEY ("course_record_id") REFERENCES "public"."course_records"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "study_records" ADD CONSTRAINT "study_records_student_id_students_id_fk" FOREIGN KEY ("student_id") REFERENCES "public"."students"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "imports_user_idx" ON "imports" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "jobs_due_idx" ON "jobs" USING btree ("run_at") WHERE "jobs"."status" in ('queued', 'running');--> statement-breakpoint
CREATE INDEX "jobs_kind_idx" ON "jobs" USING btree ("kind","created_at");--> statement-breakpoint
CREATE INDEX "notifications_due_idx" ON "notifications" USING btree ("next_attempt_at") WHERE "notifications"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "notifications_user_idx" ON "notifications" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "audit_log_entity_idx" ON "audit_log" USING btree ("entity","entity_id","at");--> statement-breakpoint
CREATE INDEX "audit_log_actor_idx" ON "audit_log" USING btree ("actor_id","at");--> statement-breakpoint
CREATE INDEX "login_failures_username_at_idx" ON "login_failures" USING btree ("username","at");--> statement-breakpoint
CREATE UNIQUE INDEX "role_permissions_role_code_key" ON "role_permissions" USING btree ("role_id","permission_code");--> statement-breakpoint
CREATE INDEX "sessions_user_idx" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "sessions_expires_idx" ON "sessions" USING btree ("expires_at");--> statement-breakpoint
CREATE UNIQUE INDEX "user_roles_user_role_key" ON "user_roles" USING btree ("user_id","role_id");--> statement-breakpoint
CREATE INDEX "user_roles_role_idx" ON "user_roles" USING btree ("role_id");--> statement-breakpoint
CREATE INDEX "users_department_idx" ON "users" USING btree ("department_id");--> statement-breakpoint
CREATE INDEX "consult_records_customer_idx" ON "consult_records" USING btree ("customer_id","at");--> statement-breakpoint
CREATE INDEX "consult_records_consultant_idx" ON "consult_records" USING btree ("consultant_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "customer_courses_customer_course_key" ON "customer_courses" USING btree ("customer_id","course_id");--> statement-breakpoint
CREATE INDEX "customer_courses_course_idx" ON "customer_courses" USING btree ("course_id");--> statement-breakpoint
CREATE UNIQUE INDEX "customer_distributions_one_following_key" ON "customer_distributions" USING btree ("customer_id") WHERE "customer_distributions"."status" = 'following';--> statement-breakpoint
CREATE INDEX "customer_distributions_customer_idx" ON "customer_distributions" USING btree ("customer_id","started_at");--> statement-breakpoint
CREATE INDEX "customer_distributions_consultant_idx" ON "customer_distributions" USING btree ("consultant_id","started_at");--> statement-breakpoint
CREATE INDEX "customer_distributions_ended_idx" ON "customer_distributions" USING btree ("ended_at");--> statement-breakpoint
CREATE UNIQUE INDEX "customers_phone_norm_key" ON "customers" USING btree ("phone_norm");--> statement-breakpoint
CREATE UNIQUE INDEX "customers_qq_norm_key" ON "customers" USING btree ("qq_norm");--> statement-breakpoint
CREATE UNIQUE INDEX "customers_wechat_norm_key" ON "customers" USING btree ("wechat_norm");--> statement-breakpoint
CREATE INDEX "customers_pool_idx" ON "customers" USING btree ("release_at") WHERE "customers"."status" = 'unregistered';--> statement-breakpoint
CREATE INDEX "customers_consultant_idx" ON "customers" USING btree ("consultant_id","release_at");--> statement-breakpoint
CREATE INDEX "customers_created_at_idx" ON "customers" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "customers_source_idx" ON "customers" USING btree ("source");--> statement-breakpoint
CREATE INDEX "customers_name_trgm_idx" ON "customers" USING gin ("name" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "customers_phone_trgm_idx" ON "customers" USING gin ("phone" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "customers_qq_trgm_idx" ON "customers" USING gin ("qq" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "customers_wechat_trgm_idx" ON "customers" USING gin ("wechat" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "payment_records_customer_idx" ON "payment_records" USING btree ("customer_id","paid_at");--> statement-breakpoint
CREATE INDEX "payment_records_consultant_idx" ON "payment_records" USING btree ("consultant_id","paid_at");--> statement-breakpoint
CREATE INDEX "payment_records_class_idx" ON "payment_records" USING btree ("class_id");--> statement-breakpoint
CREATE UNIQUE INDEX "class_teachers_class_teacher_key" ON "class_teachers" USING btree ("class_id","teacher_id");--> statement-breakpoint
CREATE INDEX "class_teachers_teacher_idx" ON "class_teachers" USING btree ("teacher_id");--> statement-breakpoint
CREATE UNIQUE INDEX "classes_school_course_semester_key" ON "classes" USING btree ("school_id","course_id","semester");--> statement-breakpoint
CREATE INDEX "classes_tutor_idx" ON "classes" USING btree ("tutor_id");--> statement-breakpoint
CREATE INDEX "classes_course_idx" ON "classes" USING btree ("course_id");--> statement-breakpoint
CREATE UNIQUE INDEX "course_records_class_day_key" ON "course_records" USING btree ("class_id","day_num");--> statement-breakpoint
CREATE INDEX "course_records_teacher_idx" ON "course_records" USING btree ("teacher_id");--> statement-breakpoint
CREATE UNIQUE INDEX "student_classes_student_class_key" ON "student_classes" USING btree ("student_id","class_id");--> statement-breakpoint
CREATE INDEX "student_classes_class_idx" ON "student_classes" USING btree ("class_id");--> statement-breakpoint
CREATE UNIQUE INDEX "study_records_lesson_student_key" ON "study_records" USING btree ("course_record_id","student_id");--> statement-breakpoint
CREATE INDEX "study_records_student_idx" ON "study_records" USING btree ("student_id");