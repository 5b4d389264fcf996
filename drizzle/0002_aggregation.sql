CREATE TABLE `aggregation_dirty` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`meter_id` integer NOT NULL,
	`from_ts` integer NOT NULL,
	`to_ts` integer NOT NULL
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
CREATE INDEX `scheduler_runs_task_idx` ON `scheduler_runs` (`task`,`started_at`);