CREATE TABLE `site_closures` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`site_id` integer NOT NULL,
	`from_day` integer NOT NULL,
	`to_day` integer NOT NULL,
	`note` text,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `site_closures_site_idx` ON `site_closures` (`site_id`,`from_day`);--> statement-breakpoint
CREATE TABLE `weather_days` (
	`site_id` integer NOT NULL,
	`day` integer NOT NULL,
	`mean_c` real,
	`hdd` real,
	`hdd_base` real,
	`source` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`site_id`, `day`),
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `sites` ADD `latitude` real;--> statement-breakpoint
ALTER TABLE `sites` ADD `longitude` real;--> statement-breakpoint
ALTER TABLE `sites` ADD `floor_area_m2` real;--> statement-breakpoint
ALTER TABLE `sites` ADD `generation` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `sites` ADD `opening_hours` text;