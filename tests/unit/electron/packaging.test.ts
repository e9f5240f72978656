/**
 * The installer configuration IT relies on, checked without building (packaging needs the Electron
 * binary): valid against electron-builder's own schema, fuses locked, the classroom:// protocol,
 * per-machine Windows installers, hardened macOS with camera/mic entitlements, no secrets shipped.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import yaml from 'js-yaml';
import { DEEP_LINK_SCHEME } from '../../../electron/main/deep-links';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../../..');
const config = yaml.load(readFileSync(path.join(ROOT, 'electron-builder.yml'), 'utf8')) as Record<string, any>;

describe('electron-builder.yml', () => {
  it('is valid for electron-builder', () => {
    const schema = JSON.parse(readFileSync(path.join(ROOT, 'node_modules/app-builder-lib/scheme.json'), 'utf8'));
    const ajv = new Ajv({ allErrors: true, strict: false });
    expect(ajv.validate(schema, config), JSON.stringify(ajv.errors)).toBe(true);
  });

  it('locks the Electron fuses', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
    });
  });

  it('registers classroom:// and builds per-machine Windows installers, hardened macOS, Linux packages', () => {
    expect(config.protocols).toEqual([{ name: 'Classroom', schemes: ['classroom'] }]);
    expect(config.win.target).toEqual(['nsis', 'msi']);
    expect(config.nsis.perMachine).toBe(true);
    expect(config.msi.perMachine).toBe(true);
    expect(config.mac).toMatchObject({ hardenedRuntime: true, notarize: true, target: ['dmg', 'zip'] });
    const entitlements = readFileSync(path.join(ROOT, config.mac.entitlements), 'utf8');
    expect(entitlements).toContain('com.apple.security.device.camera');
    expect(entitlements).toContain('com.apple.security.device.audio-input');
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
  });

  it("registers classroom:// for the whole machine on Windows (NSIS include), the scheme main parses", () => {
    const include = readFileSync(path.join(ROOT, config.nsis.include), 'utf8');
    expect(include).toContain('!macro customInstall');
    expect(include).toMatch(/WriteRegStr SHELL_CONTEXT "Software\\Classes\\classroom" "URL Protocol" ""/);
    expect(include).toContain(`WriteRegStr SHELL_CONTEXT "Software\\Classes\\classroom\\shell\\open\\command" "" '"$appExe" "%1"'`);
    expect(include).toMatch(/!macro customUnInstall\s+DeleteRegKey SHELL_CONTEXT "Software\\Classes\\classroom"/);
    expect(DEEP_LINK_SCHEME).toBe('classroom');
  });

  it('ships no env file, data folder or secret, and names no signing secret', () => {
    expect(config.files).toEqual(expect.arrayContaining(['!**/.env', '!**/.env.*', '!data/**']));
    const text = readFileSync(path.join(ROOT, 'electron-builder.yml'), 'utf8');
    expect(text).not.toMatch(/password:\s*\S|CSC_KEY_PASSWORD:\s*\S|ZEGO_SERVER_SECRET/);
  });
});
