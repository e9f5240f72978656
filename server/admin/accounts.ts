/**
 * The admin command's account tools: a user's device sign-ins (list, sign out) and enrolment codes
 * (one-time: they only let the new user choose a password, see AuthService).
 */
import { randomBytes } from 'node:crypto';
import type { DeviceRecord } from '../store/records';
import { hashPassword } from '../services/passwords';
import type { ClassroomStore } from '../store/classroom-store';

/** A new enrolment code for an existing user (a forgotten password): every device is signed out. */
export async function issueEnrolmentCode(store: ClassroomStore, userId: string): Promise<string> {
  const user = await store.getUser(userId);
  if (!user) throw new Error(`there is no user ${userId}`);
  const code = randomBytes(6).toString('base64url');
  await store.upsertUsers([{ ...user, password_hash: await hashPassword(code), enrolment_pending: true }]);
  return code;
}

export async function listDevices(store: ClassroomStore, userId: string): Promise<DeviceRecord[]> {
  if (!(await store.getUser(userId))) throw new Error(`there is no user ${userId}`);
  return (await store.listDevices(userId)).sort((a, b) => b.last_seen_at.localeCompare(a.last_seen_at));
}

/** Signs out one device of the user, or all of them; the ids signed out. */
export async function signOutDevices(store: ClassroomStore, userId: string, deviceId: string | 'all'): Promise<string[]> {
  if (!(await store.getUser(userId))) throw new Error(`there is no user ${userId}`);
  if (deviceId === 'all') return store.deleteUserDevices(userId);
  const device = await store.getDevice(deviceId);
  if (!device || device.user_id !== userId) throw new Error(`${userId} has no device ${deviceId}`);
  await store.deleteDevice(deviceId);
  return [deviceId];
}
