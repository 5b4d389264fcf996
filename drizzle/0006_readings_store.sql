CREATE TABLE `day_stats` (
	`meter_id` integer NOT NULL,
	`day` integer NOT NULL,
	`half_hours` integer NOT NULL,
	`kwh` real NOT NULL,
	`present` integer NOT NULL,
	`estimated` integer NOT NULL,
	`missing` integer NOT NULL,
	`min` real,
	`max` real,
	`peak_slot` integer,
	`seq` integer NOT NULL,
	PRIMARY KEY(`meter_id`, `day`),
	FOREIGN KEY (`meter_id`) REFERENCES `meters`(`id`) ON UPDATE no action ON DELETE cascade
) WITHOUT ROWID;
--> statement-breakpoint
CREATE INDEX `day_stats_seq_idx` ON `day_stats` (`seq`);--> statement-breakpoint
CREATE TABLE `fuel_days` (
	`fuel` text NOT NULL,
	`day` integer NOT NULL,
	`kwh` real NOT NULL,
	`present` integer NOT NULL,
	`meters` integer NOT NULL,
	PRIMARY KEY(`fuel`, `day`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `meter_days` (
	`meter_id` integer NOT NULL,
	`day` integer NOT NULL,
	`vals` blob NOT NULL,
	`quality` blob,
	`volumes` blob,
	`job_id` integer DEFAULT 0 NOT NULL,
	`writers` blob,
	PRIMARY KEY(`meter_id`, `day`),
	FOREIGN KEY (`meter_id`) REFERENCES `meters`(`id`) ON UPDATE no action ON DELETE cascade
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `readings_job_spans` (
	`job_id` integer NOT NULL,
	`meter_id` integer NOT NULL,
	`from_day` integer NOT NULL,
	`to_day` integer NOT NULL,
	PRIMARY KEY(`job_id`, `meter_id`, `from_day`, `to_day`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `readings_meta` (
	`key` text PRIMARY KEY NOT NULL,
	`value` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `readings_removed` (
	`meter_id` integer NOT NULL,
	`day` integer NOT NULL,
	`seq` integer NOT NULL,
	PRIMARY KEY(`meter_id`, `day`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE INDEX `readings_removed_seq_idx` ON `readings_removed` (`seq`);--> statement-breakpoint
CREATE TABLE `readings_undo` (
	`job_id` integer NOT NULL,
	`meter_id` integer NOT NULL,
	`day` integer NOT NULL,
	`slot` integer NOT NULL,
	`kwh` real,
	`quality` integer NOT NULL,
	`volume` real,
	`prior_job` integer NOT NULL,
	PRIMARY KEY(`job_id`, `meter_id`, `day`, `slot`)
) WITHOUT ROWID;
--> statement-breakpoint
ALTER TABLE `import_jobs` ADD `last_seq` integer;--> statement-breakpoint
ALTER TABLE `import_jobs` ADD `reuse_key` text;--> statement-breakpoint
ALTER TABLE `stored_files` ADD `source` text;--> statement-breakpoint
CREATE INDEX `stored_files_sha256_idx` ON `stored_files` (`sha256`);--> statement-breakpoint
CREATE INDEX `stored_files_source_idx` ON `stored_files` (`source`);--> statement-breakpoint
INSERT INTO `readings_meta` (`key`, `value`) VALUES ('seq', 0), ('rolled', 0), ('portfolio', 0);