ALTER TABLE `import_jobs` ADD `on_conflict` text DEFAULT 'keep' NOT NULL;--> statement-breakpoint
ALTER TABLE `import_jobs` ADD `format_override` text;--> statement-breakpoint
ALTER TABLE `import_jobs` ADD `meter_override` text;--> statement-breakpoint
ALTER TABLE `import_jobs` ADD `notes` text;--> statement-breakpoint
ALTER TABLE `import_jobs` ADD `tags` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `import_jobs` ADD `cancel_requested` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `import_jobs` ADD `owner` text;--> statement-breakpoint
ALTER TABLE `import_jobs` ADD `heartbeat_at` integer;--> statement-breakpoint
ALTER TABLE `meters` ADD `max_kwh_per_half_hour` real DEFAULT 10000 NOT NULL;--> statement-breakpoint
ALTER TABLE `meters` ADD `calorific_value` real DEFAULT 39.5 NOT NULL;--> statement-breakpoint
ALTER TABLE `readings` ADD `volume_m3` real;