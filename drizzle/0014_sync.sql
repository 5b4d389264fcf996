CREATE TABLE `sync_activity` (
	`id` integer PRIMARY KEY NOT NULL,
	`data` text NOT NULL,
	`version` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sync_conflicts` (
	`id` integer PRIMARY KEY NOT NULL,
	`status` text NOT NULL,
	`data` text NOT NULL,
	`version` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sync_conflicts_status_idx` ON `sync_conflicts` (`status`);--> statement-breakpoint
CREATE TABLE `sync_days` (
	`meter_id` integer NOT NULL,
	`day` integer NOT NULL,
	`version` integer NOT NULL,
	PRIMARY KEY(`meter_id`, `day`),
	FOREIGN KEY (`meter_id`) REFERENCES `meters`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `sync_outbox` (
	`seq` integer PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`items` integer NOT NULL,
	`body` blob NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sync_pulled_seqs` (
	`seq` integer PRIMARY KEY NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sync_shadow` (
	`type` text NOT NULL,
	`key` text NOT NULL,
	`grp` text NOT NULL,
	`hash` text NOT NULL,
	`version` integer NOT NULL,
	PRIMARY KEY(`type`, `key`, `grp`)
);
--> statement-breakpoint
CREATE TABLE `sync_state` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
ALTER TABLE `sites` ADD `uid` text;--> statement-breakpoint
UPDATE `sites` SET `uid` = lower(hex(randomblob(16))) WHERE `uid` IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `sites_uid_idx` ON `sites` (`uid`);--> statement-breakpoint
CREATE TRIGGER `sites_uid_on_insert` AFTER INSERT ON `sites` WHEN NEW.`uid` IS NULL BEGIN UPDATE `sites` SET `uid` = lower(hex(randomblob(16))) WHERE `id` = NEW.`id`; END;