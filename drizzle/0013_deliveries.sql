CREATE TABLE `budgets` (
	`site_id` integer NOT NULL,
	`month` text NOT NULL,
	`kwh` real,
	`pence` integer,
	`updated_at` integer NOT NULL,
	`updated_by` text NOT NULL,
	PRIMARY KEY(`site_id`, `month`)
);
--> statement-breakpoint
CREATE TABLE `schedule_runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`schedule_id` integer NOT NULL,
	`trigger` text NOT NULL,
	`status` text NOT NULL,
	`due_at` integer NOT NULL,
	`started_at` integer NOT NULL,
	`finished_at` integer,
	`attempts` integer DEFAULT 0 NOT NULL,
	`file_name` text,
	`bytes` integer,
	`target` text,
	`error` text,
	`notes` text DEFAULT '[]' NOT NULL,
	FOREIGN KEY (`schedule_id`) REFERENCES `schedules`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `schedule_runs_schedule_idx` ON `schedule_runs` (`schedule_id`,`started_at`);--> statement-breakpoint
CREATE TABLE `schedules` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`what` text NOT NULL,
	`cadence` text NOT NULL,
	`destination` text NOT NULL,
	`host_key` text,
	`enabled` integer DEFAULT true NOT NULL,
	`owner` text,
	`running_since` integer,
	`next_run_at` integer,
	`last_run_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
