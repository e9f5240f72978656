/** The configured store — lowdb JSON (default) or Redis — for the server and the admin command alike. */
import type { Config } from '../config';
import type { ClassroomStore } from './classroom-store';
import { JsonClassroomStore, type JsonStoreOptions } from './json/json-store';
import { RedisClassroomStore } from './redis/redis-store';

export async function openStore(config: Config, options: JsonStoreOptions = {}): Promise<ClassroomStore> {
  if (config.store === 'redis') return RedisClassroomStore.open(config.redisUrl!);
  return JsonClassroomStore.open(config.dataDir, options);
}
