/**
 * `npm run serve`: the bundled server from the repo, with the built web client at `/` when present.
 * `… admin import users.csv bookings.csv`: IT provisioning against the same data folder.
 * `… --desktop-host`: hosted by the desktop app, configured by it through the environment alone
 * (never a `.env.local` in whatever folder the app was started from).
 */
import path from 'node:path';
import { DESKTOP_HOST_ARG } from '@contract/desktop';
import { runAdmin } from './admin/cli';
import { repoDefaults, startServer } from './start';

const projectRoot = process.cwd();
if (process.argv[2] === 'admin') {
  void runAdmin(process.argv.slice(3), process.env, projectRoot, repoDefaults(projectRoot, process.env)).then((code) => process.exit(code));
} else {
  const hostedByDesktop = process.argv.includes(DESKTOP_HOST_ARG);
  void startServer(process.env, {
    projectRoot: hostedByDesktop ? null : projectRoot,
    defaults: repoDefaults(projectRoot, process.env),
    webRoot: hostedByDesktop ? null : path.join(projectRoot, 'out', 'renderer'),
  });
}
