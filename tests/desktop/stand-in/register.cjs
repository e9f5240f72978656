/**
 * `node --require tests/desktop/stand-in/register.cjs out/main/index.js`: every
 * `require('electron')` of the app gets the stand-in (electron.ts, compiled by tsx for this one
 * module tree only; the app's own bundle loads as plain Node code).
 */
/** @type {any} Node's loader internals: `_resolveFilename` is not in its typings. */
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS file for `node --require` */
const Module = require('node:module');
const path = require('node:path');

const standInId = path.join(__dirname, 'electron-stand-in.cjs');
const resolve = Module._resolveFilename;
/** @param {string} request @param {unknown} parent @param {unknown[]} rest */
Module._resolveFilename = function resolveElectron(request, parent, ...rest) {
  if (request !== 'electron' && request !== 'electron/main') return resolve.call(this, request, parent, ...rest);
  if (!require.cache[standInId]) {
    const standIn = require('tsx/cjs/api').require('./electron.ts', __filename);
    const module = new Module(standInId, null);
    module.filename = standInId;
    module.loaded = true;
    module.exports = standIn;
    require.cache[standInId] = module;
  }
  return standInId;
};
