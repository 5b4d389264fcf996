CREATE TABLE `carbon_national` (
	`ts` integer PRIMARY KEY NOT NULL,
	`forecast` integer,
	`actual` integer,
	`index` text,
	`fetched_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `carbon_regional` (
	`region_id` integer NOT NULL,
	`ts` integer NOT NULL,
	`forecast` integer,
	`index` text,
	`fetched_at` integer NOT NULL,
	PRIMARY KEY(`region_id`, `ts`)
);
--> statement-breakpoint
CREATE TABLE `emission_factors` (
	`year` integer NOT NULL,
	`fuel` text NOT NULL,
	`kg_per_kwh` real NOT NULL,
	`source` text,
	PRIMARY KEY(`year`, `fuel`)
);
--> statement-breakpoint
-- Defaults: UK Government GHG conversion factors for company reporting (DESNZ/DEFRA), location-based
-- "UK electricity: electricity generated" and "natural gas (gross CV)", kgCO2e/kWh (docs/carbon.md).
INSERT INTO `emission_factors` (`year`, `fuel`, `kg_per_kwh`, `source`) VALUES
  (2019, 'electricity', 0.2556, 'UK Government GHG conversion factors 2019'),
  (2020, 'electricity', 0.23314, 'UK Government GHG conversion factors 2020'),
  (2021, 'electricity', 0.21233, 'UK Government GHG conversion factors 2021'),
  (2022, 'electricity', 0.19338, 'UK Government GHG conversion factors 2022'),
  (2023, 'electricity', 0.20707, 'UK Government GHG conversion factors 2023'),
  (2024, 'electricity', 0.20705, 'UK Government GHG conversion factors 2024'),
  (2025, 'electricity', 0.177, 'UK Government GHG conversion factors 2025'),
  (2019, 'gas', 0.18385, 'UK Government GHG conversion factors 2019'),
  (2020, 'gas', 0.18387, 'UK Government GHG conversion factors 2020'),
  (2022, 'gas', 0.18254, 'UK Government GHG conversion factors 2022'),
  (2023, 'gas', 0.18293, 'UK Government GHG conversion factors 2023'),
  (2024, 'gas', 0.1829, 'UK Government GHG conversion factors 2024'),
  (2025, 'gas', 0.18296, 'UK Government GHG conversion factors 2025');
