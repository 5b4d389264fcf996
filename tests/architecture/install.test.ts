/**
 * What an install promises: every installed package runs on the oldest Node that package.json's
 * `engines` names (so no install warns EBADENGINE), and npm is given no setting it does not know.
 */
import fs from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

const ROOT = process.cwd();
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  engines: { node: string };
};
const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { engines?: { node?: string } | string[]; optional?: boolean; os?: string[] }>;
};

describe('the install', () => {
  it("every locked package supports the oldest Node in package.json's engines", () => {
    const oldest = semver.minVersion(pkg.engines.node)!.version;
    const refusing = Object.entries(lock.packages)
      .filter(([name, p]) => name !== '' && p.engines && !Array.isArray(p.engines) && p.engines.node)
      .filter(([, p]) => !semver.satisfies(oldest, (p.engines as { node: string }).node))
      .map(([name, p]) => `${name} (node ${(p.engines as { node: string }).node})`);
    expect(refusing, `these packages do not run on Node ${oldest}`).toEqual([]);
  });

  it('npm is not handed settings it does not know (better-sqlite3 is built from source by prebuild-install)', () => {
    expect(fs.existsSync(path.join(ROOT, '.npmrc'))).toBe(false);
    const ci = fs.readFileSync(path.join(ROOT, '.ci', 'run'), 'utf8');
    expect(ci).not.toMatch(/npm_config_build_from_source|--build-from-source/);
    expect(ci).toMatch(/prebuild-install_buildFromSource=true' npm ci/);
  });
});
