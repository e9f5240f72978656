/** The configured store: lowdb JSON (default) — used by the server and the admin command alike. */
import { ConfigError, type Config } from '../config';
import type { ClassroomStore } from './classroom-store';
import { JsonClassroomStore, type JsonStoreOptions } from './json/json-store';

export async function openStore(config: Config, options: JsonStoreOptions = {}): Promise<ClassroomStore> {
  if (config.store === 'redis') {
    throw new ConfigError('Configuration error: CLASSROOM_STORE=redis is not available in this version yet; use CLASSROOM_STORE=json.');
  }
  return JsonClassroomStore.open(config.dataDir, options);
}
