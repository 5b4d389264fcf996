CREATE TABLE `alert_deliveries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`alert_id` integer,
	`channel` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`next_at` integer,
	`sent_at` integer,
	`error` text,
	`kind` text DEFAULT 'alert' NOT NULL,
	`payload` text
);
--> statement-breakpoint
CREATE INDEX `alert_deliveries_alert_idx` ON `alert_deliveries` (`alert_id`);--> statement-breakpoint
CREATE INDEX `alert_deliveries_status_idx` ON `alert_deliveries` (`status`,`next_at`);--> statement-breakpoint
CREATE TABLE `alert_rules` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`name` text,
	`meter` text,
	`site_id` integer,
	`params` text NOT NULL,
	`severity` text NOT NULL,
	`channels` text NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`generation` integer DEFAULT 1 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `alerts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`rule_id` text NOT NULL,
	`rule_generation` integer DEFAULT 1 NOT NULL,
	`kind` text NOT NULL,
	`subject` text NOT NULL,
	`period` text NOT NULL,
	`severity` text NOT NULL,
	`status` text NOT NULL,
	`fired_at` integer NOT NULL,
	`message` text NOT NULL,
	`value` real,
	`threshold` real,
	`unit` text,
	`link` text,
	`meter_id` integer,
	`site_id` integer,
	`acknowledged_at` integer,
	`acknowledged_by` text,
	`note` text,
	`resolved_at` integer,
	`resolved_by` text,
	`snoozed_until` integer,
	`channels` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `alerts_rule_subject_period_idx` ON `alerts` (`rule_id`,`rule_generation`,`subject`,`period`);--> statement-breakpoint
CREATE INDEX `alerts_status_idx` ON `alerts` (`status`,`fired_at`);--> statement-breakpoint
CREATE TABLE `health_history` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`check` text NOT NULL,
	`status` text NOT NULL,
	`previous` text,
	`detail` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `health_history_check_idx` ON `health_history` (`check`,`at`);