/**
 * The Electron API surface, generated from the installed `node_modules/electron/electron.d.ts`
 * with the TypeScript compiler: every export of the main-process and renderer modules, and the
 * members of every Electron class and interface (inherited ones included), each with its
 * `@platform` tag. The stand-in uses it to tell "Electron has this, the stand-in does not
 * implement it" (a loud failure) from "Electron has no such thing".
 */
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';

export interface MemberInfo {
  /** From the member's `@platform` JSDoc tag; absent means every platform. */
  platforms?: string[];
}

export interface ExportInfo {
  /** `value`: an object (`app`, `ipcMain`); `class`: constructible (`BrowserWindow`); `static`: a class's static side (`session`). */
  kind: 'value' | 'class' | 'static';
  /** The Electron type that describes the export's instances (or the value itself). */
  type: string;
  /** Static members, for `class` and `static` exports. */
  statics?: string[];
}

export interface ElectronSurface {
  electronVersion: string;
  main: Record<string, ExportInfo>;
  renderer: Record<string, ExportInfo>;
  types: Record<string, Record<string, MemberInfo>>;
}

const ROOT = path.resolve(__dirname, '../../..');
const ELECTRON_DIR = path.join(ROOT, 'node_modules', 'electron');

function platformsOf(symbol: ts.Symbol): string[] | undefined {
  // An overloaded member (e.g. `on(event, …)` per event) exists on a platform where any overload
  // does; one overload without a tag means every platform.
  const all = new Set<string>();
  for (const declaration of symbol.declarations ?? []) {
    const tags = ts.getJSDocTags(declaration).filter((tag) => tag.tagName.text === 'platform');
    if (tags.length === 0) return undefined;
    for (const tag of tags) for (const part of String(ts.getTextOfJSDocComment(tag.comment) ?? '').split(',')) if (part.trim()) all.add(part.trim());
  }
  return all.size > 0 ? [...all] : undefined;
}

function membersOf(checker: ts.TypeChecker, type: ts.Type): Record<string, MemberInfo> {
  const members: Record<string, MemberInfo> = {};
  for (const property of checker.getPropertiesOfType(type)) {
    const platforms = platformsOf(property);
    members[property.name] = platforms ? { platforms } : {};
  }
  return members;
}

export function generateSurface(): ElectronSurface {
  const dts = path.join(ELECTRON_DIR, 'electron.d.ts');
  const program = ts.createProgram([dts], { types: ['node'], skipLibCheck: true, noEmit: true, target: ts.ScriptTarget.ES2022, lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'], typeRoots: [path.join(ROOT, 'node_modules/@types')] });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(dts);
  if (!source) throw new Error(`cannot read ${dts}`);
  const electronNamespace = source.statements.find((s): s is ts.ModuleDeclaration => ts.isModuleDeclaration(s) && s.name.getText(source) === 'Electron');
  if (!electronNamespace) throw new Error('electron.d.ts has no Electron namespace');
  const namespaceSymbol = checker.getSymbolAtLocation(electronNamespace.name)!;
  const exports = checker.getExportsOfModule(namespaceSymbol);

  const types: ElectronSurface['types'] = {};
  for (const symbol of exports) {
    if (symbol.flags & (ts.SymbolFlags.Class | ts.SymbolFlags.Interface)) {
      types[symbol.name] = membersOf(checker, checker.getDeclaredTypeOfSymbol(symbol));
    }
  }

  const moduleExports = (name: string): Record<string, ExportInfo> => {
    const symbol = exports.find((s) => s.name === name);
    if (!symbol) throw new Error(`electron.d.ts has no Electron.${name}`);
    const result: Record<string, ExportInfo> = {};
    for (const member of checker.getExportsOfModule(symbol)) {
      const declaration = member.valueDeclaration;
      if (!declaration) continue; // type-only export
      const valueType = checker.getTypeOfSymbolAtLocation(member, declaration);
      const statics = checker.getPropertiesOfType(valueType).map((p) => p.name).filter((n) => n !== 'prototype');
      if (member.flags & ts.SymbolFlags.Class) {
        result[member.name] = { kind: 'class', type: member.name, statics };
      } else if (ts.isVariableDeclaration(declaration) && declaration.type && ts.isTypeQueryNode(declaration.type)) {
        result[member.name] = { kind: 'static', type: declaration.type.exprName.getText(), statics };
      } else {
        const typeName = valueType.getSymbol()?.name ?? valueType.aliasSymbol?.name ?? checker.typeToString(valueType);
        result[member.name] = { kind: 'value', type: typeName };
      }
    }
    return result;
  };

  const version = (JSON.parse(readFileSync(path.join(ELECTRON_DIR, 'package.json'), 'utf8')) as { version: string }).version;
  // What `require('electron')` returns in the main process: main and common modules.
  return { electronVersion: version, main: moduleExports('CrossProcessExports'), renderer: moduleExports('Renderer'), types };
}

/** The surface of the installed Electron, generated once per installed version and cached. */
export function loadSurface(): ElectronSurface {
  const dts = path.join(ELECTRON_DIR, 'electron.d.ts');
  const { size, mtimeMs } = statSync(dts);
  const cacheDir = path.join(os.tmpdir(), 'classroom-electron-stand-in');
  const cacheFile = path.join(cacheDir, `surface-${size}-${Math.round(mtimeMs)}.json`);
  if (existsSync(cacheFile)) return JSON.parse(readFileSync(cacheFile, 'utf8')) as ElectronSurface;
  const surface = generateSurface();
  mkdirSync(cacheDir, { recursive: true });
  // Written under a temporary name, then renamed: a concurrent reader never sees half a file.
  writeFileSync(`${cacheFile}.${process.pid}`, JSON.stringify(surface));
  renameSync(`${cacheFile}.${process.pid}`, cacheFile);
  return surface;
}
