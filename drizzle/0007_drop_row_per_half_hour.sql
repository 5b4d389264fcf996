DROP TABLE `aggregation_dirty`;--> statement-breakpoint
DROP TABLE `comparison_snapshots`;--> statement-breakpoint
DROP TABLE `daily_aggregates`;--> statement-breakpoint
DROP TABLE `readings`;