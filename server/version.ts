/** The server's version is the package's (package.json), reported by /api/health and the OpenAPI document. */
import { version } from '../package.json';

export const SERVER_VERSION: string = version;
