/**
 * A counter that moves whenever stored numbers may have changed (a roll-up finished, readings
 * arrived), so pages showing totals reload; and the last roll-up run seen.
 */
import { create } from 'zustand';
import type { SchedulerRun } from '../../src-shared/contract/types';

interface DataStore {
  version: number;
  lastRun: SchedulerRun | null;
  bump(run?: SchedulerRun): void;
}

export const useDataStore = create<DataStore>((set, get) => ({
  version: 0,
  lastRun: null,
  bump(run) {
    set({ version: get().version + 1, lastRun: run ?? get().lastRun });
  },
}));
