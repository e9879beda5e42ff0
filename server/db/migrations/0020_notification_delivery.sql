CREATE TABLE "inbox_items" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "inbox_items_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"user_id" integer NOT NULL,
	"event" text NOT NULL,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"event_key" text NOT NULL,
	"read_at" timestamp with time zone,
	CONSTRAINT "inbox_items_event_key_unique" UNIQUE("event_key")
);
--> statement-breakpoint
CREATE TABLE "provider_tokens" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "provider_tokens_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"provider" text NOT NULL,
	"token" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "provider_tokens_provider_unique" UNIQUE("provider")
);
--> statement-breakpoint
CREATE TABLE "wechat_bind_states" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "wechat_bind_states_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"nonce" text NOT NULL,
	"user_id" integer NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	CONSTRAINT "wechat_bind_states_nonce_unique" UNIQUE("nonce")
);
--> statement-breakpoint
ALTER TABLE "notifications" DROP CONSTRAINT "notifications_status_check";--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "claimed_by" text;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "claimed_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "provider_message_id" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "notify_prefs" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "inbox_items" ADD CONSTRAINT "inbox_items_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wechat_bind_states" ADD CONSTRAINT "wechat_bind_states_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "inbox_items_user_idx" ON "inbox_items" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "inbox_items_unread_idx" ON "inbox_items" USING btree ("user_id") WHERE "inbox_items"."read_at" is null;--> statement-breakpoint
CREATE INDEX "wechat_bind_states_user_idx" ON "wechat_bind_states" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "notifications_claimed_idx" ON "notifications" USING btree ("claimed_until") WHERE "notifications"."status" = 'sending';--> statement-breakpoint
CREATE INDEX "notifications_status_idx" ON "notifications" USING btree ("status","created_at");--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_status_check" CHECK ("notifications"."status" in ('pending', 'sending', 'sent', 'failed', 'dead', 'skipped', 'unknown'));--> statement-breakpoint
-- Every event told before the inbox existed is in it too, read: people saw them as they could.
INSERT INTO "inbox_items" ("user_id", "event", "payload", "event_key", "read_at", "created_at", "updated_at")
SELECT DISTINCT ON (left("dedupe_key", length("dedupe_key") - length("channel") - 1))
  "user_id", "event", "payload", left("dedupe_key", length("dedupe_key") - length("channel") - 1),
  "created_at", "created_at", "created_at"
FROM "notifications"
ORDER BY left("dedupe_key", length("dedupe_key") - length("channel") - 1), "id"
ON CONFLICT ("event_key") DO NOTHING;
--> statement-breakpoint
-- Each event lands in its person's inbox once, from whichever statement wrote its outbox rows
-- (some write them inside larger statements, where a second insert could not sit).
CREATE FUNCTION "inbox_from_outbox"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "inbox_items" ("user_id", "event", "payload", "event_key", "created_at", "updated_at")
  SELECT DISTINCT ON (k.key) n."user_id", n."event", n."payload", k.key, n."created_at", n."created_at"
  FROM new_rows n
  CROSS JOIN LATERAL (SELECT left(n."dedupe_key", length(n."dedupe_key") - length(n."channel") - 1) AS key) k
  ORDER BY k.key, n."id"
  ON CONFLICT ("event_key") DO NOTHING;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "notifications_to_inbox" AFTER INSERT ON "notifications"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "inbox_from_outbox"();
