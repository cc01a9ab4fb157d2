-- schema_migrations
CREATE TABLE "schema_migrations" ("version" bigint,"name" nvarchar(100) NOT NULL,"applied_at" datetimeoffset NOT NULL,PRIMARY KEY ("version"));

-- 0001 platform
CREATE TABLE "users" ("id" bigint IDENTITY(1,1),"email" nvarchar(320) NOT NULL,"name" nvarchar(255) NOT NULL,"password_hash" nvarchar(255) NOT NULL,"is_admin" bit NOT NULL,"time_zone" nvarchar(64) NOT NULL DEFAULT 'UTC',"created_at" datetimeoffset NOT NULL,"updated_at" datetimeoffset NOT NULL,PRIMARY KEY ("id"));
CREATE UNIQUE INDEX "ux_users_email" ON "users"("email");
CREATE TABLE "sessions" ("id" nvarchar(64),"user_id" bigint NOT NULL,"csrf_token" nvarchar(64) NOT NULL,"created_at" datetimeoffset NOT NULL,"expires_at" datetimeoffset NOT NULL,"last_seen_at" datetimeoffset NOT NULL,PRIMARY KEY ("id"),CONSTRAINT "fk_sessions_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE);
CREATE INDEX "ix_sessions_expires" ON "sessions"("expires_at");
CREATE INDEX "ix_sessions_user" ON "sessions"("user_id");
CREATE TABLE "api_tokens" ("id" bigint IDENTITY(1,1),"user_id" bigint NOT NULL,"token_hash" nvarchar(64) NOT NULL,"name" nvarchar(100) NOT NULL,"created_at" datetimeoffset NOT NULL,"last_used_at" datetimeoffset,PRIMARY KEY ("id"),CONSTRAINT "fk_api_tokens_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE);
CREATE UNIQUE INDEX "ux_api_tokens_hash" ON "api_tokens"("token_hash");
CREATE INDEX "ix_api_tokens_user" ON "api_tokens"("user_id");
CREATE TABLE "login_failures" ("id" bigint IDENTITY(1,1),"email" nvarchar(320) NOT NULL,"ip" nvarchar(64) NOT NULL,"failures" bigint NOT NULL,"first_failed_at" datetimeoffset NOT NULL,"last_failed_at" datetimeoffset NOT NULL,"locked_until" datetimeoffset,PRIMARY KEY ("id"));
CREATE INDEX "ix_login_failures_last" ON "login_failures"("last_failed_at");
CREATE UNIQUE INDEX "ux_login_failures_key" ON "login_failures"("email","ip");

-- 0002 calendar
CREATE TABLE "calendars" ("id" bigint IDENTITY(1,1),"kind" nvarchar(16) NOT NULL,"owner_user_id" bigint,"name" nvarchar(255) NOT NULL,"created_at" datetimeoffset,PRIMARY KEY ("id"));
CREATE INDEX "idx_calendars_owner_user_id" ON "calendars"("owner_user_id");
CREATE TABLE "events" ("id" bigint IDENTITY(1,1),"calendar_id" bigint NOT NULL,"organizer_id" bigint NOT NULL,"privacy" nvarchar(16) NOT NULL,"version" bigint NOT NULL,"created_at" datetimeoffset,"updated_at" datetimeoffset,"deleted_at" datetimeoffset,PRIMARY KEY ("id"));
CREATE INDEX "idx_events_deleted_at" ON "events"("deleted_at");
CREATE INDEX "idx_events_organizer_id" ON "events"("organizer_id");
CREATE INDEX "idx_events_calendar_id" ON "events"("calendar_id");
CREATE TABLE "segments" ("id" bigint IDENTITY(1,1),"event_id" bigint NOT NULL,"uid" nvarchar(32) NOT NULL,"position" bigint NOT NULL,"start_local" nvarchar(19) NOT NULL,"time_zone" nvarchar(64) NOT NULL,"duration_seconds" bigint NOT NULL,"all_day" bit NOT NULL,"rrule" nvarchar(255) NOT NULL,"first_start_utc" datetimeoffset NOT NULL,"last_end_utc" datetimeoffset,"title" nvarchar(255) NOT NULL,"description" nvarchar(MAX),"location" nvarchar(255) NOT NULL,PRIMARY KEY ("id"));
CREATE INDEX "idx_segments_last_end_utc" ON "segments"("last_end_utc");
CREATE INDEX "idx_segments_first_start_utc" ON "segments"("first_start_utc");
CREATE INDEX "idx_segments_event_id" ON "segments"("event_id");
CREATE TABLE "overrides" ("id" bigint IDENTITY(1,1),"event_id" bigint NOT NULL,"original_start" datetimeoffset NOT NULL,"cancelled" bit NOT NULL,"title" nvarchar(255),"description" nvarchar(MAX),"location" nvarchar(255),"start_utc" datetimeoffset,"end_utc" datetimeoffset,PRIMARY KEY ("id"));
CREATE INDEX "idx_overrides_start_utc" ON "overrides"("start_utc");
CREATE INDEX "idx_overrides_original_start" ON "overrides"("original_start");
CREATE UNIQUE INDEX "ux_overrides_key" ON "overrides"("event_id","original_start");
CREATE TABLE "invitations" ("id" bigint IDENTITY(1,1),"event_id" bigint NOT NULL,"user_id" bigint NOT NULL,"instance" datetimeoffset,PRIMARY KEY ("id"));
CREATE INDEX "idx_invitations_user_id" ON "invitations"("user_id");
CREATE INDEX "idx_invitations_event_id" ON "invitations"("event_id");
CREATE TABLE "rsvps" ("id" bigint IDENTITY(1,1),"event_id" bigint NOT NULL,"user_id" bigint NOT NULL,"scope" nvarchar(16) NOT NULL,"instance" datetimeoffset,"response" nvarchar(8) NOT NULL,"updated_at" datetimeoffset,PRIMARY KEY ("id"));
CREATE INDEX "idx_rsvps_user_id" ON "rsvps"("user_id");
CREATE INDEX "idx_rsvps_event_id" ON "rsvps"("event_id");

-- 0003 system properties
CREATE TABLE "system_properties" ("name" nvarchar(100),"value" nvarchar(MAX) NOT NULL,"encrypted" bit NOT NULL,"updated_at" datetimeoffset NOT NULL,"updated_by" bigint,PRIMARY KEY ("name"));
CREATE TABLE "property_audit" ("id" bigint IDENTITY(1,1),"property" nvarchar(100) NOT NULL,"actor_user_id" bigint,"actor" nvarchar(400) NOT NULL,"action" nvarchar(16) NOT NULL,"value" nvarchar(400),"changed_at" datetimeoffset NOT NULL,PRIMARY KEY ("id"));
CREATE INDEX "ix_property_audit_changed" ON "property_audit"("changed_at");
CREATE INDEX "ix_property_audit_property" ON "property_audit"("property");

-- 0004 outlook connections
CREATE TABLE "outlook_connections" ("id" bigint IDENTITY(1,1),"user_id" bigint NOT NULL,"account_id" nvarchar(100) NOT NULL,"account_mail" nvarchar(320) NOT NULL,"account_upn" nvarchar(320) NOT NULL,"account_name" nvarchar(255) NOT NULL,"tenant_id" nvarchar(64) NOT NULL,"state" nvarchar(20) NOT NULL,"access_token" nvarchar(MAX) NOT NULL,"refresh_token" nvarchar(MAX) NOT NULL,"token_expiry" datetimeoffset NOT NULL,"token_version" bigint NOT NULL,"delta_link" nvarchar(MAX),"last_sync_at" datetimeoffset,"last_error" nvarchar(1000) NOT NULL,"last_error_at" datetimeoffset,"failures" bigint NOT NULL,"retry_at" datetimeoffset,"created_at" datetimeoffset NOT NULL,"updated_at" datetimeoffset NOT NULL,PRIMARY KEY ("id"),CONSTRAINT "fk_outlook_connections_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE);
CREATE INDEX "ix_outlook_connections_state" ON "outlook_connections"("state");
CREATE UNIQUE INDEX "ux_outlook_connections_account" ON "outlook_connections"("account_id");
CREATE UNIQUE INDEX "ux_outlook_connections_user" ON "outlook_connections"("user_id");
CREATE TABLE "oauth_states" ("id" nvarchar(64),"user_id" bigint NOT NULL,"binding" nvarchar(100) NOT NULL,"verifier" nvarchar(MAX) NOT NULL,"tenant" nvarchar(64) NOT NULL,"created_at" datetimeoffset NOT NULL,"expires_at" datetimeoffset NOT NULL,"used_at" datetimeoffset,PRIMARY KEY ("id"),CONSTRAINT "fk_oauth_states_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE);
CREATE INDEX "ix_oauth_states_expires" ON "oauth_states"("expires_at");
CREATE INDEX "ix_oauth_states_user" ON "oauth_states"("user_id");

-- 0005 outlook sync
CREATE TABLE "sync_links" ("id" bigint IDENTITY(1,1),"user_id" bigint NOT NULL,"event_id" bigint NOT NULL,"segment_uid" nvarchar(32) NOT NULL,"remote_id" nvarchar(512) NOT NULL,"change_key" nvarchar(128) NOT NULL,"base" nvarchar(MAX) NOT NULL,"updated_at" datetimeoffset,PRIMARY KEY ("id"));
CREATE INDEX "idx_sync_links_remote_id" ON "sync_links"("remote_id");
CREATE INDEX "idx_sync_links_event_id" ON "sync_links"("event_id");
CREATE UNIQUE INDEX "ux_sync_links_segment" ON "sync_links"("user_id","event_id","segment_uid");
CREATE TABLE "sync_cursors" ("user_id" bigint,"delta_link" nvarchar(MAX),"last_cycle_at" datetimeoffset,"last_summary" nvarchar(MAX),"updated_at" datetimeoffset,PRIMARY KEY ("user_id"));
CREATE TABLE "sync_histories" ("id" bigint IDENTITY(1,1),"user_id" bigint NOT NULL,"at" datetimeoffset NOT NULL,"event_id" bigint NOT NULL,"direction" nvarchar(16) NOT NULL,"summary" nvarchar(255) NOT NULL,"detail" nvarchar(MAX),PRIMARY KEY ("id"));
CREATE INDEX "ix_sync_history_user_at" ON "sync_histories"("user_id","at");
CREATE TABLE "sync_leases" ("user_id" bigint,"holder" nvarchar(64) NOT NULL,"expires_at" datetimeoffset NOT NULL,PRIMARY KEY ("user_id"));

-- 0006 outlook meetings
ALTER TABLE "sync_links" ADD "ical_uid" nvarchar(255) NOT NULL DEFAULT '';
CREATE INDEX "ix_sync_links_ical_uid" ON "sync_links"("ical_uid");
CREATE TABLE "sync_attendances" ("id" bigint IDENTITY(1,1),"user_id" bigint NOT NULL,"remote_id" nvarchar(512) NOT NULL,"ical_uid" nvarchar(255) NOT NULL,"organizer" nvarchar(320) NOT NULL,"event_id" bigint NOT NULL,"segment_uid" nvarchar(32) NOT NULL,"instance" datetimeoffset,"base" nvarchar(MAX) NOT NULL,"updated_at" datetimeoffset,PRIMARY KEY ("id"));
CREATE INDEX "idx_sync_attendances_event_id" ON "sync_attendances"("event_id");
CREATE UNIQUE INDEX "ux_sync_attendances_remote" ON "sync_attendances"("user_id","remote_id");

-- 0007 outlook sync window
ALTER TABLE "sync_cursors" ADD "delta_from" datetimeoffset;
ALTER TABLE "sync_cursors" ADD "delta_to" datetimeoffset;
ALTER TABLE "sync_cursors" ADD "backstop_after" nvarchar(512) NOT NULL DEFAULT '';

-- 0008 event dates in range

-- 0009 account lifecycle
ALTER TABLE "users" ADD "disabled_at" datetimeoffset;
ALTER TABLE "users" ADD "deleted_at" datetimeoffset;
ALTER TABLE "api_tokens" ADD "token_prefix" nvarchar(16) NOT NULL DEFAULT '';
ALTER TABLE "api_tokens" ADD "expires_at" datetimeoffset;
CREATE TABLE "account_audit" ("id" bigint IDENTITY(1,1),"action" nvarchar(32) NOT NULL,"subject_user_id" bigint,"subject" nvarchar(400) NOT NULL,"actor_user_id" bigint,"actor" nvarchar(400) NOT NULL,"detail" nvarchar(400) NOT NULL,"at" datetimeoffset NOT NULL,PRIMARY KEY ("id"));
CREATE INDEX "ix_account_audit_at" ON "account_audit"("at");
CREATE INDEX "ix_account_audit_subject" ON "account_audit"("subject_user_id");

-- 0010 answer indexes
CREATE INDEX ix_invitations_event_user ON invitations (event_id, user_id);
CREATE INDEX ix_rsvps_event_user ON rsvps (event_id, user_id);

-- 0011 outlook sync pending creates
CREATE TABLE "sync_pending_creates" ("id" bigint IDENTITY(1,1),"user_id" bigint NOT NULL,"event_id" bigint NOT NULL,"segment_uid" nvarchar(32) NOT NULL,"base" nvarchar(MAX) NOT NULL,"sent_at" datetimeoffset NOT NULL,PRIMARY KEY ("id"));
CREATE UNIQUE INDEX "ux_sync_pending_creates_segment" ON "sync_pending_creates"("user_id","event_id","segment_uid");

-- 0012 event labels
ALTER TABLE "events" ADD "categories" nvarchar(MAX) NOT NULL DEFAULT '';
ALTER TABLE "events" ADD "reminder_minutes" bigint;

-- 0013 event undo
CREATE TABLE "event_undos" ("id" bigint IDENTITY(1,1),"token" nvarchar(32) NOT NULL,"event_id" bigint NOT NULL,"user_id" bigint NOT NULL,"scope" nvarchar(16) NOT NULL,"instance" datetimeoffset,"version" bigint NOT NULL,"answers" nvarchar(64) NOT NULL,"snapshot" nvarchar(MAX) NOT NULL,"created_at" datetimeoffset NOT NULL,"expires_at" datetimeoffset NOT NULL,PRIMARY KEY ("id"));
CREATE INDEX "ix_event_undos_expires" ON "event_undos"("expires_at");
CREATE INDEX "ix_event_undos_event" ON "event_undos"("event_id");
CREATE UNIQUE INDEX "ux_event_undos_token" ON "event_undos"("token");

-- 0014 spaces
CREATE TABLE "spaces" ("id" bigint IDENTITY(1,1),"calendar_id" bigint NOT NULL,"name" nvarchar(255) NOT NULL,"description" nvarchar(MAX) NOT NULL DEFAULT '',"visibility" nvarchar(16) NOT NULL,"created_by" bigint NOT NULL,"created_at" datetimeoffset,PRIMARY KEY ("id"));
CREATE UNIQUE INDEX "ux_spaces_calendar" ON "spaces"("calendar_id");
CREATE TABLE "space_members" ("id" bigint IDENTITY(1,1),"space_id" bigint NOT NULL,"user_id" bigint NOT NULL,"role" nvarchar(16) NOT NULL,"show_in_calendar" bit NOT NULL,"created_at" datetimeoffset,PRIMARY KEY ("id"));
CREATE INDEX "ix_space_members_user" ON "space_members"("user_id");
CREATE UNIQUE INDEX "ux_space_members_key" ON "space_members"("space_id","user_id");
CREATE TABLE "space_event_invites" ("id" bigint IDENTITY(1,1),"event_id" bigint NOT NULL,"space_id" bigint NOT NULL,"created_at" datetimeoffset,PRIMARY KEY ("id"));
CREATE INDEX "ix_space_event_invites_space" ON "space_event_invites"("space_id");
CREATE UNIQUE INDEX "ux_space_event_invites_event" ON "space_event_invites"("event_id");

-- 0015 outlook sync awaited splits
CREATE TABLE "sync_awaited_splits" ("id" bigint IDENTITY(1,1),"user_id" bigint NOT NULL,"remote_id" nvarchar(512) NOT NULL,"event_id" bigint NOT NULL,"was" nvarchar(MAX) NOT NULL,"shortened" nvarchar(MAX) NOT NULL,"deleted_at" datetimeoffset NOT NULL,PRIMARY KEY ("id"));
CREATE INDEX "idx_sync_awaited_splits_user_id" ON "sync_awaited_splits"("user_id");

-- 0016 space publishing
CREATE TABLE "space_publications" ("space_id" bigint,"enabled" bit NOT NULL,"updated_by" bigint NOT NULL,"updated_at" datetimeoffset,PRIMARY KEY ("space_id"));
CREATE TABLE "space_publish_targets" ("id" bigint IDENTITY(1,1),"space_id" bigint NOT NULL,"user_id" bigint NOT NULL,"mailbox" nvarchar(320) NOT NULL DEFAULT '',"calendar_id" nvarchar(512) NOT NULL DEFAULT '',"holder" nvarchar(128) NOT NULL DEFAULT '',"lease_until" datetimeoffset,"due_at" datetimeoffset NOT NULL,"last_run_at" datetimeoffset,"last_ok_at" datetimeoffset,"last_error" nvarchar(MAX) NOT NULL DEFAULT '',"failures" bigint NOT NULL DEFAULT 0,"requests" bigint NOT NULL DEFAULT 0,"leaving" bit NOT NULL DEFAULT 0,PRIMARY KEY ("id"));
CREATE INDEX "idx_space_publish_targets_due_at" ON "space_publish_targets"("due_at");
CREATE UNIQUE INDEX "ux_space_publish_targets_key" ON "space_publish_targets"("space_id","user_id");
CREATE TABLE "space_publish_items" ("id" bigint IDENTITY(1,1),"target_id" bigint NOT NULL,"event_id" bigint NOT NULL,"segment_uid" nvarchar(32) NOT NULL,"remote_id" nvarchar(512) NOT NULL,"change_key" nvarchar(255) NOT NULL DEFAULT '',"digest" nvarchar(64) NOT NULL,"schedule" nvarchar(64) NOT NULL,PRIMARY KEY ("id"));
CREATE UNIQUE INDEX "ux_space_publish_items_key" ON "space_publish_items"("target_id","event_id","segment_uid");
CREATE TABLE "space_publish_histories" ("id" bigint IDENTITY(1,1),"space_id" bigint NOT NULL,"user_id" bigint NOT NULL,"at" datetimeoffset NOT NULL,"event_id" bigint NOT NULL DEFAULT 0,"summary" nvarchar(MAX) NOT NULL,"detail" nvarchar(MAX) NOT NULL DEFAULT '',PRIMARY KEY ("id"));
CREATE INDEX "idx_space_publish_histories_space_id" ON "space_publish_histories"("space_id");

-- 0017 space calendar name
ALTER TABLE "space_publish_targets" ADD "calendar_name" nvarchar(255) NOT NULL DEFAULT '';

-- 0018 outlook subscriptions
CREATE TABLE "outlook_subscriptions" ("id" bigint IDENTITY(1,1),"owner_kind" nvarchar(16) NOT NULL,"owner_id" bigint NOT NULL,"subscription_id" nvarchar(128) NOT NULL DEFAULT '',"secret_hash" nvarchar(64) NOT NULL DEFAULT '',"expires_at" datetimeoffset,"mode" nvarchar(16) NOT NULL DEFAULT 'polling',"reason" nvarchar(500) NOT NULL DEFAULT '',"check_at" datetimeoffset NOT NULL,"holder" nvarchar(128) NOT NULL DEFAULT '',"lease_until" datetimeoffset,"failures" bigint NOT NULL DEFAULT 0,"notified" bigint NOT NULL DEFAULT 0,"last_notified_at" datetimeoffset,"updated_at" datetimeoffset NOT NULL,PRIMARY KEY ("id"));
CREATE INDEX "idx_outlook_subscriptions_check_at" ON "outlook_subscriptions"("check_at");
CREATE INDEX "idx_outlook_subscriptions_subscription_id" ON "outlook_subscriptions"("subscription_id");
CREATE UNIQUE INDEX "ux_outlook_subscriptions_owner" ON "outlook_subscriptions"("owner_kind","owner_id");
ALTER TABLE "sync_leases" ADD "wanted" bigint NOT NULL DEFAULT 0;
ALTER TABLE "sync_leases" ADD "covered" bigint NOT NULL DEFAULT 0;
ALTER TABLE "space_publish_targets" ADD "wanted" bigint NOT NULL DEFAULT 0;

-- 0019 calendar feeds
CREATE TABLE "calendar_feeds" ("id" bigint IDENTITY(1,1),"owner_kind" nvarchar(16) NOT NULL,"owner_id" bigint NOT NULL,"token_hash" nvarchar(64) NOT NULL,"token_sealed" nvarchar(512) NOT NULL,"private" nvarchar(16) NOT NULL DEFAULT 'busy',"created_at" datetimeoffset NOT NULL,PRIMARY KEY ("id"));
CREATE UNIQUE INDEX "ux_calendar_feeds_token" ON "calendar_feeds"("token_hash");
CREATE UNIQUE INDEX "ux_calendar_feeds_owner" ON "calendar_feeds"("owner_kind","owner_id");
CREATE TABLE "calendar_imports" ("id" bigint IDENTITY(1,1),"calendar_id" bigint NOT NULL,"uid_hash" nvarchar(64) NOT NULL,"event_id" bigint NOT NULL,"digest" nvarchar(64) NOT NULL,"updated_at" datetimeoffset NOT NULL,PRIMARY KEY ("id"));
CREATE INDEX "idx_calendar_imports_event_id" ON "calendar_imports"("event_id");
CREATE UNIQUE INDEX "ux_calendar_imports_uid" ON "calendar_imports"("calendar_id","uid_hash");

-- 0020 microsoft sign-in
CREATE TABLE "user_identities" ("id" bigint IDENTITY(1,1),"user_id" bigint NOT NULL,"tenant_id" nvarchar(64) NOT NULL,"object_id" nvarchar(64) NOT NULL,"username" nvarchar(320) NOT NULL,"linked_at" datetimeoffset NOT NULL,"last_sign_in_at" datetimeoffset NOT NULL,PRIMARY KEY ("id"),CONSTRAINT "fk_user_identities_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE);
CREATE UNIQUE INDEX "ux_user_identities_subject" ON "user_identities"("tenant_id","object_id");
CREATE UNIQUE INDEX "ux_user_identities_user" ON "user_identities"("user_id");
CREATE TABLE "signin_states" ("id" nvarchar(64),"binding" nvarchar(64) NOT NULL,"nonce_hash" nvarchar(64) NOT NULL,"verifier" nvarchar(MAX) NOT NULL,"tenant" nvarchar(64) NOT NULL,"next" nvarchar(2048) NOT NULL,"connect" bit NOT NULL,"created_at" datetimeoffset NOT NULL,"expires_at" datetimeoffset NOT NULL,"used_at" datetimeoffset,PRIMARY KEY ("id"));
CREATE INDEX "ix_signin_states_expires" ON "signin_states"("expires_at");

-- 0021 directory
CREATE TABLE "user_profiles" ("user_id" bigint,"job_title" nvarchar(255) NOT NULL,"department" nvarchar(255) NOT NULL,"office_location" nvarchar(255) NOT NULL,"office_phone" nvarchar(64) NOT NULL,"mobile_phone" nvarchar(64) NOT NULL,"locked" nvarchar(255) NOT NULL,"updated_at" datetimeoffset NOT NULL,PRIMARY KEY ("user_id"),CONSTRAINT "fk_user_profiles_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE);
CREATE INDEX "ix_user_profiles_department" ON "user_profiles"("department");

-- 0022 contact lists
CREATE TABLE "contact_lists" ("id" bigint IDENTITY(1,1),"name" nvarchar(255) NOT NULL,"source_kind" nvarchar(16) NOT NULL,"source_value" nvarchar(255) NOT NULL,"target_kind" nvarchar(16) NOT NULL,"target_value" nvarchar(255) NOT NULL,"folder" nvarchar(16) NOT NULL,"write_fields" nvarchar(255) NOT NULL,"overwrite_fields" nvarchar(255) NOT NULL,"interval_minutes" bigint NOT NULL,"next_run_at" datetimeoffset NOT NULL,"lease_holder" nvarchar(100) NOT NULL,"lease_until" datetimeoffset,"last_run_at" datetimeoffset,"created_at" datetimeoffset NOT NULL,"updated_at" datetimeoffset NOT NULL,PRIMARY KEY ("id"));
CREATE INDEX "ix_contact_lists_next" ON "contact_lists"("next_run_at");
CREATE UNIQUE INDEX "ux_contact_lists_name" ON "contact_lists"("name");
CREATE TABLE "contact_list_people" ("list_id" bigint,"user_id" bigint,"role" nvarchar(16) NOT NULL,PRIMARY KEY ("list_id","user_id"),CONSTRAINT "fk_contact_list_people_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE);
CREATE TABLE "contact_list_targets" ("id" bigint IDENTITY(1,1),"list_id" bigint NOT NULL,"user_id" bigint NOT NULL,"folder_id" nvarchar(512) NOT NULL,"leaving" bit NOT NULL,"last_run_at" datetimeoffset,"last_error" nvarchar(1000) NOT NULL,"failures" bigint NOT NULL,"created_at" datetimeoffset NOT NULL,PRIMARY KEY ("id"));
CREATE UNIQUE INDEX "ux_contact_list_targets" ON "contact_list_targets"("list_id","user_id");
CREATE TABLE "contact_list_items" ("target_id" bigint,"person_id" bigint,"contact_id" nvarchar(512) NOT NULL,"digest" nvarchar(64) NOT NULL,PRIMARY KEY ("target_id","person_id"));
CREATE TABLE "contact_list_runs" ("id" bigint IDENTITY(1,1),"list_id" bigint NOT NULL,"kind" nvarchar(16) NOT NULL,"started_at" datetimeoffset NOT NULL,"finished_at" datetimeoffset NOT NULL,"targets" bigint NOT NULL,"created" bigint NOT NULL,"updated" bigint NOT NULL,"restored" bigint NOT NULL,"removed" bigint NOT NULL,"failed" bigint NOT NULL,"detail" nvarchar(1000) NOT NULL,PRIMARY KEY ("id"));
CREATE INDEX "ix_contact_list_runs_list" ON "contact_list_runs"("list_id");

-- 0023 contact list digests
ALTER TABLE "contact_list_targets" ADD "written_digest" nvarchar(64) NOT NULL DEFAULT '';

