CREATE TABLE `switching_analyses` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`meter_id` integer NOT NULL,
	`ran_at` integer NOT NULL,
	`ran_by` text NOT NULL,
	`from_day` integer NOT NULL,
	`to_day` integer NOT NULL,
	`current_tariff` text NOT NULL,
	`current_pence` real NOT NULL,
	`best_tariff` text,
	`best_saving_pence` real NOT NULL,
	`best_saving_percent` real,
	`what_if_percent` real,
	`result` blob NOT NULL,
	FOREIGN KEY (`meter_id`) REFERENCES `meters`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `switching_analyses_meter_idx` ON `switching_analyses` (`meter_id`,`ran_at`);--> statement-breakpoint
CREATE TABLE `tariff_assignments` (
	`meter_id` integer NOT NULL,
	`from_day` integer NOT NULL,
	`tariff_id` text NOT NULL,
	`assigned_by` text NOT NULL,
	`assigned_at` integer NOT NULL,
	PRIMARY KEY(`meter_id`, `from_day`),
	FOREIGN KEY (`meter_id`) REFERENCES `meters`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`tariff_id`) REFERENCES `tariffs`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE TABLE `tariff_prices` (
	`tariff_id` text NOT NULL,
	`ts` integer NOT NULL,
	`pence` real NOT NULL,
	PRIMARY KEY(`tariff_id`, `ts`),
	FOREIGN KEY (`tariff_id`) REFERENCES `tariffs`(`id`) ON UPDATE no action ON DELETE cascade
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `tariff_versions` (
	`tariff_id` text NOT NULL,
	`valid_from` integer NOT NULL,
	`valid_to` integer,
	`spec` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL,
	PRIMARY KEY(`tariff_id`, `valid_from`),
	FOREIGN KEY (`tariff_id`) REFERENCES `tariffs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `tariffs` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`supplier` text NOT NULL,
	`fuel` text NOT NULL,
	`regions` text,
	`is_default` integer DEFAULT false NOT NULL,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `meters` ADD `supplier` text;--> statement-breakpoint
ALTER TABLE `meters` ADD `capacity_kva` real;