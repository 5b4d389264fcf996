/** Page objects for the renderer: what a user sees and does, by role, label and test id. */
import type { Locator, Page } from '@playwright/test';
import { expect } from '@playwright/test';

export class AppShell {
  constructor(readonly page: Page) {}

  async open(url: string, route = ''): Promise<void> {
    await this.page.goto(`${url}${route ? `#${route}` : ''}`);
    await expect(this.page.locator('[data-app-state="ready"]')).toBeVisible();
  }

  nav(name: RegExp | string): Locator {
    return this.page.getByRole('navigation').getByRole('link', { name });
  }
}

export class ImportsPage {
  constructor(readonly page: Page) {}

  fileInput(): Locator {
    return this.page.getByTestId('file-input');
  }

  dryRun(): Locator {
    return this.page.getByRole('checkbox', { name: /dry run/i });
  }

  jobRows(): Locator {
    return this.page.getByTestId('job-row');
  }

  job(file: string): Locator {
    return this.jobRows().filter({ hasText: file }).first();
  }

  async importFiles(paths: string[]): Promise<void> {
    await this.fileInput().setInputFiles(paths);
  }
}

export class MetersPage {
  constructor(readonly page: Page) {}

  row(mpan: string): Locator {
    return this.page.locator(`[data-testid="meter-row"][data-mpan="${mpan}"]`);
  }
}

export class MeterPage {
  constructor(readonly page: Page) {}

  chart(): Locator {
    return this.page.getByTestId('meter-chart');
  }

  pointCount(): Locator {
    return this.page.getByTestId('point-count');
  }
}

export class DashboardPage {
  constructor(readonly page: Page) {}

  tile(fuel: 'electricity' | 'gas', kind: 'day' | 'week' | 'month' | 'year'): Locator {
    return this.page.locator(`[data-testid="dashboard-tile"][data-fuel="${fuel}"][data-kind="${kind}"]`);
  }
}

export class SettingsPage {
  constructor(readonly page: Page) {}

  async rebuildRollups(): Promise<Locator> {
    await this.page.getByRole('button', { name: /rebuild roll-ups/i }).click();
    const result = this.page.getByTestId('rebuild-result');
    await expect(result).toContainText(/Recomputed \d+ meters?, [\d,]+ days? in/);
    return result;
  }
}

export class MeterCharts {
  constructor(readonly page: Page) {}

  tab(name: RegExp | string): Locator {
    return this.page.getByRole('tab', { name });
  }

  daily(): Locator {
    return this.page.getByTestId('daily-chart');
  }

  heatmap(): Locator {
    return this.page.getByTestId('heatmap-chart');
  }

  periods(): Locator {
    return this.page.getByTestId('period-chart');
  }
}
