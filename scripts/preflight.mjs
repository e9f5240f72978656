// @ts-check
/**
 * `npm test` starts here: it needs a few system packages that `npm ci && npm run serve` does not
 * (a browser for the end-to-end tests, Redis, a Secret Service for keytar). Each is looked for by
 * what the tests run; every missing one is named with its Debian package and the exact install line,
 * and the run stops before anything fails obscurely. With CLASSROOM_PREFLIGHT_INSTALL=1 (set by
 * .ci/run on a fresh CI machine, as root) it installs them itself with apt-get.
 *
 * Plain Node with no dependencies: .ci/run calls it before `npm ci`, so that keytar builds.
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const projectRoot = process.cwd();

/** @param {string} command */
function onPath(command) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    try {
      accessSync(path.join(dir, command), constants.X_OK);
      return true;
    } catch {
      // not in this folder
    }
  }
  return false;
}

/** @param {string} command @param {string[]} args */
function succeeds(command, args) {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** keytar is optional for the app but the keychain tests use it; null when it loads. */
function keytarProblem() {
  if (!existsSync(path.join(projectRoot, 'node_modules'))) return null; // before `npm ci`: only its build needs are checked
  try {
    createRequire(path.join(projectRoot, 'package.json'))('keytar');
    return null;
  } catch (error) {
    return /** @type {Error} */ (error).message.split('\n')[0] ?? 'does not load';
  }
}

/** @typedef {{ pkg: string; why: string }} Missing */

/** @returns {{ missing: Missing[]; rebuildKeytar: boolean }} */
function findMissing() {
  /** @type {Missing[]} */
  const missing = [];
  const need = (/** @type {boolean} */ present, /** @type {string} */ pkg, /** @type {string} */ why) => {
    if (!present && !missing.some((m) => m.pkg === pkg)) missing.push({ pkg, why });
  };
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  need(existsSync(chromium), 'chromium', `the browser the end-to-end tests drive (${chromium} not found; CHROMIUM_PATH overrides)`);
  need(onPath('redis-server'), 'redis-server', 'the Redis store and scale-out tests (redis-server not on PATH)');
  need(onPath('gnome-keyring-daemon'), 'gnome-keyring', 'a real Secret Service for the keychain tests (gnome-keyring-daemon not on PATH)');
  need(onPath('dbus-daemon') && onPath('dbus-send'), 'dbus', 'the private session bus of the keychain tests (dbus-daemon/dbus-send not on PATH)');

  // keytar builds from source against libsecret (its prebuilt binaries come from GitHub).
  const keytar = keytarProblem();
  let rebuildKeytar = false;
  if (keytar !== null || !existsSync(path.join(projectRoot, 'node_modules'))) {
    const pkgConfig = onPath('pkg-config');
    need(pkgConfig, 'pkg-config', 'finds libsecret when keytar is built (pkg-config not on PATH)');
    need(pkgConfig && succeeds('pkg-config', ['--exists', 'libsecret-1']), 'libsecret-1-dev', 'keytar, the OS keychain module, builds against it (pkg-config finds no libsecret-1)');
    need(onPath('make'), 'make', 'node-gyp builds keytar with it');
    need(onPath('g++'), 'g++', 'node-gyp builds keytar with it');
    need(onPath('python3'), 'python3', 'node-gyp runs on it');
    rebuildKeytar = keytar !== null;
  }
  return { missing, rebuildKeytar };
}

function main() {
  const { missing, rebuildKeytar } = findMissing();
  const install = process.env.CLASSROOM_PREFLIGHT_INSTALL === '1';
  const packages = missing.map((m) => m.pkg);
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const installLine = `${root ? '' : 'sudo '}apt-get install -y ${packages.join(' ')}`;

  if (missing.length > 0 && install) {
    process.stdout.write(`preflight: installing ${packages.join(' ')}\n`);
    const aptGet = (/** @type {string[]} */ args) =>
      execFileSync(root ? 'apt-get' : 'sudo', root ? args : ['apt-get', ...args], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    aptGet(['update', '-qq']);
    aptGet(['install', '-y', '-qq', ...packages]);
    const after = findMissing();
    if (after.missing.length === 0) {
      if (after.rebuildKeytar) process.stdout.write('preflight: keytar was skipped while libsecret was missing; run `npm ci` again to build it.\n');
      return after.rebuildKeytar ? 1 : 0;
    }
    missing.splice(0, missing.length, ...after.missing);
  }

  if (missing.length > 0) {
    const lines = [
      'preflight: `npm test` needs system packages that are missing here:',
      ...missing.map((m) => `  - ${m.pkg}: ${m.why}`),
      'Install them (Debian/Ubuntu package names) with:',
      `  ${installLine}`,
      ...(rebuildKeytar || missing.some((m) => m.pkg === 'libsecret-1-dev') ? ['then run `npm ci` again so keytar is built.'] : []),
      '(`npm ci && npm run serve` needs none of them.)',
    ];
    process.stderr.write(`${lines.join('\n')}\n`);
    return 1;
  }
  if (rebuildKeytar) {
    process.stderr.write('preflight: keytar (optional) is not built although libsecret is now present: run `npm ci` again.\n');
    return 1;
  }
  process.stdout.write('preflight: system packages present (chromium, redis-server, gnome-keyring, dbus; keytar built).\n');
  return 0;
}

process.exitCode = main();
