/**
 * `npm run serve`: the bundled server from the repo, with the built web client at `/` when present.
 * `… admin import users.csv bookings.csv`: IT provisioning against the same data folder.
 */
import path from 'node:path';
import { runAdmin } from './admin/cli';
import { repoDefaults, startServer } from './start';

const projectRoot = process.cwd();
if (process.argv[2] === 'admin') {
  void runAdmin(process.argv.slice(3), process.env, projectRoot, repoDefaults(projectRoot)).then((code) => process.exit(code));
} else {
  void startServer(process.env, {
    projectRoot,
    defaults: repoDefaults(projectRoot),
    webRoot: path.join(projectRoot, 'out', 'renderer'),
  });
}
