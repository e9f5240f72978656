/** Facts the desktop app and the server share. */

/** The desktop renderer's origin (its own privileged scheme): the server allows it by default. */
export const DESKTOP_APP_SCHEME = 'classroom-app';
export const DESKTOP_APP_HOST = 'app';
export const DESKTOP_APP_ORIGIN = `${DESKTOP_APP_SCHEME}://${DESKTOP_APP_HOST}`;

/** The argument with which the desktop app starts the bundled server it hosts (no `.env.local` then). */
export const DESKTOP_HOST_ARG = '--desktop-host';
