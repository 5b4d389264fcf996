/**
 * What a smart-meter API source (Octopus, n3rgy) gives the sources runner: JSON documents in the
 * shape the importer reads (src-main/core/imports/formats/json.ts), one per fetched window, and the
 * last UK day it has fetched completely (the next run asks from there).
 */
import type { z } from 'zod';
import type { sourceConfigSchema } from '../../../src-shared/contract/api';

type Config = z.output<typeof sourceConfigSchema>;
export type OctopusConfig = Extract<Config, { kind: 'octopus' }>;
export type N3rgyConfig = Extract<Config, { kind: 'n3rgy' }>;

/** One fetched document, imported as one job with `meter` as the meter (the file may not name it). */
export interface FetchedDocument {
  /** What it covers, e.g. `electricity:2024-05-01..2024-05-08#2` (the source's item key). */
  key: string;
  /** A file name for the job list, e.g. `octopus-2700003645222-2024-05-01-p2.json`. */
  name: string;
  bytes: Buffer;
  meter: string;
  /** Gas readings in m³ (the importer converts them with the meter's calorific value). */
  volume?: boolean;
}

export interface ApiFetchRequest<C> {
  config: C;
  apiKey: string;
  /** UK local days [fromDay, toDay) to fetch (day numbers, src-shared/domain/periods.ts). */
  fromDay: number;
  toDay: number;
  fetch: typeof fetch;
  signal?: AbortSignal;
}

export interface ApiFetchResult {
  documents: FetchedDocument[];
  /**
   * The last day fetched completely (null when nothing came back): the next run starts the day after
   * it, less a day of overlap.
   */
  completeThrough: number | null;
}
