CREATE TABLE `aggregation_dirty` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`meter_id` integer NOT NULL,
	`from_ts` integer NOT NULL,
	`to_ts` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`actor` text NOT NULL,
	`action` text NOT NULL,
	`details` text
);
--> statement-breakpoint
CREATE TABLE `comparison_snapshots` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`taken_at` integer NOT NULL,
	`meter_id` integer NOT NULL,
	`kind` text NOT NULL,
	`period` text NOT NULL,
	`previous` text NOT NULL,
	`kwh` real,
	`previous_kwh` real,
	`change_percent` real,
	`comparable` integer NOT NULL,
	FOREIGN KEY (`meter_id`) REFERENCES `meters`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `comparison_snapshots_meter_idx` ON `comparison_snapshots` (`meter_id`,`kind`,`period`);--> statement-breakpoint
CREATE TABLE `daily_aggregates` (
	`meter_id` integer NOT NULL,
	`day` integer NOT NULL,
	`kwh` real NOT NULL,
	`min` real,
	`max` real,
	`baseload` real,
	`peak_ts` integer,
	`actual` integer NOT NULL,
	`estimated` integer NOT NULL,
	`half_hours` integer NOT NULL,
	PRIMARY KEY(`meter_id`, `day`),
	FOREIGN KEY (`meter_id`) REFERENCES `meters`(`id`) ON UPDATE no action ON DELETE cascade
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `import_jobs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`batch_id` text NOT NULL,
	`file_id` text NOT NULL,
	`file_name` text NOT NULL,
	`format` text,
	`status` text DEFAULT 'queued' NOT NULL,
	`priority` integer DEFAULT 1 NOT NULL,
	`dry_run` integer DEFAULT false NOT NULL,
	`on_conflict` text DEFAULT 'keep' NOT NULL,
	`format_override` text,
	`meter_override` text,
	`notes` text,
	`tags` text DEFAULT '[]' NOT NULL,
	`cancel_requested` integer DEFAULT false NOT NULL,
	`owner` text,
	`heartbeat_at` integer,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer,
	`bytes_done` integer DEFAULT 0 NOT NULL,
	`line_done` integer DEFAULT 0 NOT NULL,
	`rows_read` integer DEFAULT 0 NOT NULL,
	`readings_imported` integer DEFAULT 0 NOT NULL,
	`duplicates` integer DEFAULT 0 NOT NULL,
	`conflicts` integer DEFAULT 0 NOT NULL,
	`rows_rejected` integer DEFAULT 0 NOT NULL,
	`errors` text DEFAULT '[]' NOT NULL,
	`meters_created` text DEFAULT '[]' NOT NULL,
	`preview` text,
	`last_error` text,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL,
	`started_at` integer,
	`finished_at` integer,
	FOREIGN KEY (`file_id`) REFERENCES `stored_files`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `import_jobs_status_idx` ON `import_jobs` (`status`,`priority`,`created_at`);--> statement-breakpoint
CREATE TABLE `meters` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`identifier` text NOT NULL,
	`kind` text NOT NULL,
	`fuel` text NOT NULL,
	`mpan_top_line` text,
	`site_id` integer,
	`label` text,
	`max_kwh_per_half_hour` real DEFAULT 10000 NOT NULL,
	`calorific_value` real DEFAULT 39.5 NOT NULL,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `meters_identifier_unique` ON `meters` (`identifier`);--> statement-breakpoint
CREATE INDEX `meters_site_idx` ON `meters` (`site_id`);--> statement-breakpoint
CREATE TABLE `organisations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `organisations_name_unique` ON `organisations` (`name`);--> statement-breakpoint
CREATE TABLE `period_aggregates` (
	`meter_id` integer NOT NULL,
	`kind` text NOT NULL,
	`start_day` integer NOT NULL,
	`kwh` real NOT NULL,
	`min` real,
	`max` real,
	`baseload` real,
	`peak_ts` integer,
	`days_with_data` integer NOT NULL,
	`present` integer NOT NULL,
	`half_hours` integer NOT NULL,
	PRIMARY KEY(`meter_id`, `kind`, `start_day`),
	FOREIGN KEY (`meter_id`) REFERENCES `meters`(`id`) ON UPDATE no action ON DELETE cascade
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `readings` (
	`meter_id` integer NOT NULL,
	`day` integer NOT NULL,
	`ts` integer NOT NULL,
	`kwh` real,
	`quality` integer DEFAULT 0 NOT NULL,
	`batch_id` integer,
	`volume_m3` real,
	PRIMARY KEY(`meter_id`, `day`, `ts`),
	FOREIGN KEY (`meter_id`) REFERENCES `meters`(`id`) ON UPDATE no action ON DELETE cascade
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `scheduler_runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`task` text NOT NULL,
	`trigger` text NOT NULL,
	`started_at` integer NOT NULL,
	`finished_at` integer,
	`duration_ms` integer,
	`status` text NOT NULL,
	`summary` text,
	`error` text
);
--> statement-breakpoint
CREATE INDEX `scheduler_runs_task_idx` ON `scheduler_runs` (`task`,`started_at`);--> statement-breakpoint
CREATE TABLE `settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sites` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`organisation_id` integer NOT NULL,
	`name` text NOT NULL,
	`postcode` text,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE INDEX `sites_organisation_idx` ON `sites` (`organisation_id`);--> statement-breakpoint
CREATE TABLE `stored_files` (
	`id` text PRIMARY KEY NOT NULL,
	`original_name` text NOT NULL,
	`path` text NOT NULL,
	`bytes` integer NOT NULL,
	`sha256` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL
);
