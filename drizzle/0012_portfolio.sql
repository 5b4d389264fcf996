CREATE TABLE `file_sites` (
	`meter_id` integer NOT NULL,
	`name` text NOT NULL,
	`address` text,
	`postcode` text,
	`job_id` integer,
	`seen_at` integer NOT NULL,
	`dismissed` integer DEFAULT false NOT NULL,
	PRIMARY KEY(`meter_id`, `name`),
	FOREIGN KEY (`meter_id`) REFERENCES `meters`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `readings_trash` (
	`trash_id` integer NOT NULL,
	`meter_id` integer NOT NULL,
	`day` integer NOT NULL,
	`vals` blob NOT NULL,
	`quality` blob,
	`volumes` blob,
	`job_id` integer DEFAULT 0 NOT NULL,
	`writers` blob,
	PRIMARY KEY(`trash_id`, `meter_id`, `day`),
	FOREIGN KEY (`trash_id`) REFERENCES `trash`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `readings_trash_undo` (
	`trash_id` integer NOT NULL,
	`job_id` integer NOT NULL,
	`meter_id` integer NOT NULL,
	`day` integer NOT NULL,
	`slot` integer NOT NULL,
	`kwh` real,
	`quality` integer NOT NULL,
	`volume` real,
	`prior_job` integer NOT NULL,
	PRIMARY KEY(`trash_id`, `job_id`, `meter_id`, `day`, `slot`),
	FOREIGN KEY (`trash_id`) REFERENCES `trash`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `source_items` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`source_id` integer NOT NULL,
	`key` text NOT NULL,
	`sha256` text NOT NULL,
	`bytes` integer NOT NULL,
	`mtime` integer,
	`job_id` integer,
	`seen_at` integer NOT NULL,
	FOREIGN KEY (`source_id`) REFERENCES `sources`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `source_items_hash_idx` ON `source_items` (`source_id`,`sha256`);--> statement-breakpoint
CREATE INDEX `source_items_key_idx` ON `source_items` (`source_id`,`key`);--> statement-breakpoint
CREATE TABLE `source_runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`source_id` integer NOT NULL,
	`trigger` text NOT NULL,
	`status` text NOT NULL,
	`started_at` integer NOT NULL,
	`finished_at` integer,
	`items_found` integer DEFAULT 0 NOT NULL,
	`items_queued` integer DEFAULT 0 NOT NULL,
	`job_ids` text DEFAULT '[]' NOT NULL,
	`error` text,
	`notes` text DEFAULT '[]' NOT NULL,
	FOREIGN KEY (`source_id`) REFERENCES `sources`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `source_runs_source_idx` ON `source_runs` (`source_id`,`started_at`);--> statement-breakpoint
CREATE TABLE `sources` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`config` text NOT NULL,
	`every_minutes` integer DEFAULT 60 NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`owner` text,
	`running_since` integer,
	`last_run_at` integer,
	`last_ok_at` integer,
	`next_run_at` integer,
	`last_error` text,
	`cursor` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `trash` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`label` text NOT NULL,
	`payload` text NOT NULL,
	`created_at` integer NOT NULL,
	`created_by` text NOT NULL,
	`restored_at` integer,
	`restored_by` text
);
--> statement-breakpoint
ALTER TABLE `import_jobs` ADD `source_id` integer;--> statement-breakpoint
ALTER TABLE `import_jobs` ADD `rolled_back_at` integer;--> statement-breakpoint
ALTER TABLE `import_jobs` ADD `rolled_back_by` text;--> statement-breakpoint
CREATE INDEX `import_jobs_source_idx` ON `import_jobs` (`source_id`);--> statement-breakpoint
ALTER TABLE `meters` ADD `serial` text;--> statement-breakpoint
ALTER TABLE `meters` ADD `tags` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `sites` ADD `address` text;