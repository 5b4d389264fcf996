/**
 * The alerts badge and the health dot: open-alert counts and the latest health report, fetched once
 * and then kept up to date by the `alerts.changed` and `health.changed` events; a counter for each
 * that moves on every event, so the inbox and the Health page reload.
 */
import { create } from 'zustand';
import type { AlertCheckResult, AlertCounts, HealthReport } from '../../src-shared/contract/types';
import { getClient } from '../api/instance';

interface AlertsStore {
  counts: AlertCounts | null;
  /** The last check run from this window ("Check now"): when, and what it found. */
  lastCheck: AlertCheckResult | null;
  alertsVersion: number;
  health: HealthReport | null;
  healthVersion: number;
  fetchCounts(): Promise<void>;
  fetchHealth(): Promise<void>;
  setCounts(counts: AlertCounts): void;
  setCheck(r: AlertCheckResult): void;
  setHealth(report: HealthReport): void;
}

export const useAlertsStore = create<AlertsStore>((set, get) => ({
  counts: null,
  lastCheck: null,
  alertsVersion: 0,
  health: null,
  healthVersion: 0,

  async fetchCounts() {
    try {
      set({ counts: await getClient().call('alerts.counts', {}) });
    } catch {
      // the badge stays hidden; the inbox says what went wrong when it is opened
    }
  },

  async fetchHealth() {
    try {
      set({ health: await getClient().call('health.get', {}) });
    } catch {
      // the dot says "not checked yet"; the Health page says what went wrong
    }
  },

  setCounts(counts) {
    set({ counts, alertsVersion: get().alertsVersion + 1 });
  },

  setCheck(r) {
    set({ lastCheck: r });
  },

  setHealth(report) {
    set({ health: report, healthVersion: get().healthVersion + 1 });
  },
}));
