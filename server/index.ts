/** `npm run serve`: the bundled server from the repo, with the built web client at `/` when present. */
import path from 'node:path';
import { repoDefaults, startServer } from './start';

const projectRoot = process.cwd();
void startServer(process.env, {
  projectRoot,
  defaults: repoDefaults(projectRoot),
  webRoot: path.join(projectRoot, 'out', 'renderer'),
});
