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
