-- Cached permission codes stay valid while auth_epoch stands still. A user's codes change only through
-- their roles or those roles' grants (deleting a role or a permission cascades into these two tables),
-- so those bump it, in the same transaction, whichever code path (or hand-written SQL) made the change.
-- Whether the user is active is read live with the session, not cached.
INSERT INTO "auth_epoch" ("singleton", "epoch") VALUES (true, 0) ON CONFLICT ("singleton") DO NOTHING;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION bump_auth_epoch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "auth_epoch" SET "epoch" = "epoch" + 1, "updated_at" = now();
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "role_permissions_bump_auth_epoch" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "role_permissions"
  FOR EACH STATEMENT EXECUTE FUNCTION bump_auth_epoch();
--> statement-breakpoint
CREATE TRIGGER "user_roles_bump_auth_epoch" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "user_roles"
  FOR EACH STATEMENT EXECUTE FUNCTION bump_auth_epoch();
