/**
 * The layer boundaries are enforced by the lint configuration (eslint.config.mjs): each planted
 * import below is linted through ESLint's Node API as if it lived at `filePath` (no file is
 * written), and must be reported by `import-x/no-restricted-paths` or `no-restricted-imports` —
 * while the allowed imports next to them pass.
 */
import path from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../../..');
let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: ROOT });
});

async function boundaryFindings(filePath: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${source}\nexport const planted = 1;\n`, { filePath: path.join(ROOT, filePath) });
  return (result?.messages ?? [])
    .filter((message) => message.ruleId === 'import-x/no-restricted-paths' || message.ruleId === 'no-restricted-imports' || message.fatal)
    .map((message) => `${message.ruleId ?? 'fatal'}: ${message.message}`);
}

describe('lint: layer boundaries', () => {
  const cases: Array<[verdict: 'reports' | 'allows', name: string, filePath: string, source: string]> = [
    ['reports', 'renderer → server service', 'renderer/src/pages/planted.ts', "import '../../../server/services/sessions.service';"],
    ['reports', 'renderer → server store', 'renderer/src/planted.ts', "import '../../server/store/classroom-store';"],
    ['reports', 'renderer → electron main', 'renderer/src/planted.ts', "import '../../electron/main/tray';"],
    ['reports', 'renderer → Node built-in', 'renderer/src/planted.ts', "import 'node:fs';"],
    ['reports', 'renderer → electron package', 'renderer/src/planted.ts', "import 'electron';"],
    ['reports', 'renderer → test helper', 'renderer/src/planted.ts', "import '../../tests/helpers/session-fixtures';"],
    ['reports', 'renderer → server by dynamic import', 'renderer/src/planted.ts', "void import('../../server/config');"],
    ['reports', 'server → electron main', 'server/services/planted.ts', "import '../../electron/main/credentials';"],
    ['reports', 'server → electron package', 'server/services/planted.ts', "import 'electron';"],
    ['reports', 'server → renderer', 'server/http/planted.ts', "import '../../renderer/src/app/routes';"],
    ['reports', 'server → test helper', 'server/planted.ts', "import '../tests/helpers/test-server';"],
    ['reports', 'server → bench', 'server/planted.ts', "import '../bench/common';"],
    ['reports', 'contract → server service', 'server/contract/planted.ts', "import '../services/errors';"],
    ['reports', 'contract → Node built-in', 'server/contract/planted.ts', "import 'node:crypto';"],
    ['reports', 'electron main → server internals', 'electron/main/planted.ts', "import '../../server/services/sessions.service';"],
    ['reports', 'electron main → server internals via the app', 'electron/main/planted.ts', "import '../../server/app';"],
    ['reports', 'electron main → renderer', 'electron/main/planted.ts', "import '../../renderer/src/app/routes';"],
    ['reports', 'electron preload → main', 'electron/preload/planted.ts', "import '../main/ipc';"],
    ['reports', 'electron main → test helper', 'electron/main/planted.ts', "import '../../tests/helpers/secret-service';"],
    ['allows', 'renderer → contract (alias)', 'renderer/src/planted.ts', "import '@contract/api';"],
    ['allows', 'renderer → renderer', 'renderer/src/pages/planted.ts', "import '../app/routes';"],
    ['allows', 'server → contract', 'server/services/planted.ts', "import '../contract/domain';"],
    ['allows', 'server → its store', 'server/services/planted.ts', "import '../store/classroom-store';"],
    ['allows', 'electron main → contract', 'electron/main/planted.ts', "import '@contract/ipc';"],
    ['allows', 'electron main → server entry', 'electron/main/planted.ts', "import '../../server/index';"],
    ['allows', 'tests → anything', 'tests/unit/planted.test.ts', "import '../../server/services/errors';"],
  ];

  it.each(cases)('%s %s', async (verdict, _name, filePath, source) => {
    const findings = await boundaryFindings(filePath, source);
    if (verdict === 'reports') expect(findings).not.toEqual([]);
    else expect(findings).toEqual([]);
  });
});
