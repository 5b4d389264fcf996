/** Meters and their half-hourly series. */
import { create } from 'zustand';
import type { MeterSummary, Series } from '../../src-shared/contract/types';
import { errorMessage } from '../api/client';
import { AppError } from '../../src-shared/contract/errors';
import { getClient } from '../api/instance';
import type { LoadState } from './imports';

export interface SeriesEntry {
  load: LoadState;
  data: Series | null;
  error: string | null;
  notFound: boolean;
}

interface MetersStore {
  meters: MeterSummary[] | null;
  load: LoadState;
  error: string | null;
  series: Record<string, SeriesEntry>;
  fetchMeters(): Promise<void>;
  fetchSeries(mpan: string): Promise<void>;
  /** After meters.changed: refresh what has been loaded. */
  refresh(): Promise<void>;
}

export const useMetersStore = create<MetersStore>((set, get) => ({
  meters: null,
  load: 'idle',
  error: null,
  series: {},

  async fetchMeters() {
    set({ load: get().meters ? 'ready' : 'loading', error: null });
    try {
      const meters = await getClient().call('meters.list', {});
      set({ meters, load: 'ready', error: null });
    } catch (e) {
      set({ load: 'error', error: errorMessage(e) });
    }
  },

  async fetchSeries(mpan) {
    const prev = get().series[mpan];
    set({
      series: {
        ...get().series,
        [mpan]: { load: prev?.data ? 'ready' : 'loading', data: prev?.data ?? null, error: null, notFound: false },
      },
    });
    try {
      const data = await getClient().call('readings.series', { meter: mpan });
      set({ series: { ...get().series, [mpan]: { load: 'ready', data, error: null, notFound: false } } });
    } catch (e) {
      const notFound = e instanceof AppError && e.code === 'NOT_FOUND';
      set({ series: { ...get().series, [mpan]: { load: 'error', data: null, error: errorMessage(e), notFound } } });
    }
  },

  async refresh() {
    const jobs: Promise<void>[] = [];
    if (get().meters !== null || get().load === 'error') jobs.push(get().fetchMeters());
    for (const mpan of Object.keys(get().series)) jobs.push(get().fetchSeries(mpan));
    await Promise.all(jobs);
  },
}));
