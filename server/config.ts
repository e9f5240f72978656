/**
 * Configuration (docs/interface.md §1) from the environment, or `.env.local` at the project root as in the
 * seed. The environment wins over the file. A bad value becomes a ConfigError whose message is one
 * line naming the variable; the entry point prints it and exits without a stack trace.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import ipaddr from 'ipaddr.js';
import { z } from 'zod';
import { DEFAULT_RING_TIMEOUT_MS } from './services/ring-status';
import { DESKTOP_APP_ORIGIN } from './contract/desktop';

export interface ZegoConfig {
  appId: number;
  serverSecret: string;
  /** The project's "Server" address from the ZEGOCLOUD console (what the web SDK connects to). */
  serverUrl: string;
}

/** A WebRTC ICE server for the built-in engine (STUN/TURN); none are needed on a LAN. */
export interface IceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
}

export interface Config {
  host: string;
  port: number;
  dataDir: string;
  store: 'json' | 'redis';
  redisUrl: string | null;
  demo: boolean;
  /** null → the built-in peer-to-peer engine. */
  zego: ZegoConfig | null;
  iceServers: IceServer[];
  /** Other origins whose pages may call the API (the desktop renderer, a dev server). */
  allowedOrigins: string[];
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** How long a delivered ring rings before it counts as missed. */
  ringTimeoutMs: number;
  /** Sign-in lifetimes. */
  auth: { accessTokenTtlMs: number; refreshTokenTtlMs: number };
  /** Abuse limits (README, "Security"). */
  limits: Limits;
}

export interface Limits {
  /** Which peers may set X-Forwarded-For: a hop count, or proxy addresses/CIDRs; false = none. */
  trustProxy: number | string[] | false;
  /** Host header values served (names or addresses, lower case, no port); null = this machine's own names and addresses. */
  allowedHosts: string[] | null;
  /** Bearer token that opens /metrics on the main port; null = closed there. */
  metricsToken: string | null;
  /** A separate listener that serves only /metrics (e.g. 127.0.0.1:9464); null = none. */
  metricsListen: { host: string; port: number } | null;
  /** Open connections one client address may hold (loopback peers and trusted proxies are not counted). */
  maxConnectionsPerAddress: number;
  /** A connection with no bytes moving for this long is closed (stalled bodies, idle keep-alive). */
  idleTimeoutMs: number;
  /** A request must arrive whole (headers and body) within this. */
  requestTimeoutMs: number;
  headersTimeoutMs: number;
  keepAliveTimeoutMs: number;
  /** Failed sign-ins one address may make per 10 minutes, whatever the user ids. */
  loginFailuresPerAddress: number;
  /** Failures on one account before addresses that failed on it wait 1 s, 2 s, 4 s … */
  loginAccountFreeFailures: number;
  /** Worker threads that hash passwords. */
  passwordThreads: number;
}

export const MAX_ACCESS_TOKEN_MINUTES = 60;

/** What proxy-addr (Fastify's trustProxy) means by these names. */
const PROXY_RANGE_NAMES: Record<string, string[]> = {
  loopback: ['127.0.0.0/8', '::1/128'],
  linklocal: ['169.254.0.0/16', 'fe80::/10'],
  uniquelocal: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
};

// Written out in full: ipaddr.js alone would also read `11` or `1.2.3` as an IPv4 address (0.0.0.11).
const isAddress = (text: string) => ipaddr.IPv4.isValidFourPartDecimal(text) || ipaddr.IPv6.isValid(text);
const isAddressOrCidr = (entry: string) => {
  const [address = '', prefix, ...rest] = entry.split('/');
  if (rest.length > 0 || !isAddress(address)) return false;
  if (prefix === undefined) return true;
  try {
    ipaddr.parseCIDR(entry);
    return true;
  } catch {
    return false;
  }
};

/** A start-up problem the operator must fix; its message is the one line we print. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** The packaged desktop renderer's origin (its classroom-app:// protocol). */

export interface ConfigDefaults {
  /** docs/interface.md §1: `./data` when run from the repo, the per-user app-data folder in the desktop app. */
  dataDir: string;
  /** docs/interface.md §1: on for `npm run serve` and an unpackaged `npm start`, otherwise off unless IT sets it. */
  demo: boolean;
}

const flag = (variable: string) =>
  z
    .string()
    .trim()
    .toLowerCase()
    .refine((v) => ['0', '1', 'true', 'false', 'yes', 'no'].includes(v), `${variable} must be 1 or 0`)
    .transform((v) => v === '1' || v === 'true' || v === 'yes');

const integer = (variable: string, min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `${variable} must be a whole number from ${min} to ${max}`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `${variable} must be a whole number from ${min} to ${max}`);

const list = (text: string) => text.split(',').map((item) => item.trim()).filter(Boolean);

const IceServersSchema = z
  .array(
    z.object({
      urls: z.union([z.string().regex(/^(stun|stuns|turn|turns):/), z.array(z.string().regex(/^(stun|stuns|turn|turns):/)).min(1)]),
      username: z.string().optional(),
      credential: z.string().optional(),
    }),
  )
  .max(10);

const EnvSchema = z.object({
  ZEGO_APP_ID: z
    .string()
    .trim()
    .regex(/^\d{1,10}$/, 'ZEGO_APP_ID must be a number (your ZEGOCLOUD App ID)')
    .transform(Number)
    .refine((n) => n > 0 && n <= 0xffffffff, 'ZEGO_APP_ID must be a positive 32-bit number')
    .optional(),
  ZEGO_SERVER_SECRET: z
    .string()
    .trim()
    .superRefine((s, ctx) => {
      if (s.length !== 32) ctx.addIssue({ code: 'custom', message: `ZEGO_SERVER_SECRET must be exactly 32 characters (got ${s.length})` });
    })
    .optional(),
  PORT: z
    .string()
    .trim()
    .regex(/^\d{1,5}$/, 'PORT must be a number from 0 to 65535')
    .transform(Number)
    .refine((n) => n <= 65535, 'PORT must be a number from 0 to 65535')
    .optional(),
  HOST: z.string().trim().min(1, 'HOST must not be empty').max(255).optional(),
  CLASSROOM_DATA_DIR: z.string().trim().min(1, 'CLASSROOM_DATA_DIR must not be empty').optional(),
  CLASSROOM_STORE: z.enum(['json', 'redis'], { error: 'CLASSROOM_STORE must be "json" or "redis"' }).optional(),
  ZEGO_SERVER_URL: z
    .string()
    .trim()
    .regex(/^wss:\/\/\S+$/, 'ZEGO_SERVER_URL must be the wss:// "Server" address from the ZEGOCLOUD console')
    .optional(),
  CLASSROOM_ICE_SERVERS: z
    .string()
    .trim()
    .transform((text, ctx) => {
      const message = 'CLASSROOM_ICE_SERVERS must be a JSON array like [{"urls":"stun:stun.example.org:3478"}]';
      try {
        const parsed = IceServersSchema.safeParse(JSON.parse(text));
        if (parsed.success) return parsed.data;
      } catch {
        // fall through to the one clear message
      }
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    })
    .optional(),
  CLASSROOM_ALLOWED_ORIGINS: z
    .string()
    .trim()
    .transform((text) => text.split(',').map((origin) => origin.trim()).filter(Boolean))
    .refine((origins) => origins.every((origin) => /^[a-z][a-z0-9+.-]*:\/\/[^/\s]+$/i.test(origin)), 'CLASSROOM_ALLOWED_ORIGINS must be comma-separated origins such as classroom-app://app')
    .optional(),
  REDIS_URL: z
    .string()
    .trim()
    .regex(/^rediss?:\/\/\S+$/, 'REDIS_URL must look like redis://host:6379')
    .optional(),
  CLASSROOM_DEMO: flag('CLASSROOM_DEMO').optional(),
  CLASSROOM_RING_SECONDS: z
    .string()
    .trim()
    .regex(/^\d{1,5}$/, 'CLASSROOM_RING_SECONDS must be a whole number of seconds from 5 to 3600')
    .transform(Number)
    .refine((n) => n >= 5 && n <= 3600, 'CLASSROOM_RING_SECONDS must be a whole number of seconds from 5 to 3600')
    .optional(),
  CLASSROOM_TRUST_PROXY: z
    .string()
    .trim()
    .transform((text, ctx): number | string[] => {
      if (/^\d+$/.test(text) && Number(text) <= 10) return Number(text);
      const entries = list(text).flatMap((entry) => PROXY_RANGE_NAMES[entry.toLowerCase()] ?? [entry]);
      if (entries.length > 0 && entries.every(isAddressOrCidr)) return entries;
      ctx.addIssue({ code: 'custom', message: 'CLASSROOM_TRUST_PROXY must be a hop count (0–10) or proxy addresses/CIDRs such as 10.0.0.5,10.1.0.0/16' });
      return z.NEVER;
    })
    .optional(),
  CLASSROOM_ALLOWED_HOSTS: z
    .string()
    .trim()
    .transform((text) => list(text).map((host) => host.toLowerCase().replace(/^\[|\]$/g, '')))
    .refine((hosts) => hosts.length > 0 && hosts.every((host) => /^[a-z0-9.:-]{1,253}$/.test(host)), 'CLASSROOM_ALLOWED_HOSTS must be comma-separated host names or addresses such as classroom.school.example')
    // A Host header's port is not compared (behind a proxy it is the proxy's): a name with one would never match.
    .refine((hosts) => !hosts.some((host) => /^[^:]+:\d+$/.test(host)), 'CLASSROOM_ALLOWED_HOSTS takes names without a port, such as classroom.school.example')
    .optional(),
  CLASSROOM_METRICS_TOKEN: z.string().trim().min(16, 'CLASSROOM_METRICS_TOKEN must be at least 16 characters').max(512).optional(),
  CLASSROOM_METRICS_LISTEN: z
    .string()
    .trim()
    .transform((text, ctx) => {
      const match = /^(.+):(\d{1,5})$/.exec(text);
      const port = Number(match?.[2]);
      if (match && port >= 0 && port <= 65535) return { host: match[1]!.replace(/^\[|\]$/g, ''), port };
      ctx.addIssue({ code: 'custom', message: 'CLASSROOM_METRICS_LISTEN must be host:port such as 127.0.0.1:9464' });
      return z.NEVER;
    })
    .optional(),
  CLASSROOM_MAX_CONNECTIONS_PER_ADDRESS: integer('CLASSROOM_MAX_CONNECTIONS_PER_ADDRESS', 1, 1_000_000).optional(),
  CLASSROOM_IDLE_TIMEOUT_SECONDS: integer('CLASSROOM_IDLE_TIMEOUT_SECONDS', 5, 3600).optional(),
  CLASSROOM_REQUEST_TIMEOUT_SECONDS: integer('CLASSROOM_REQUEST_TIMEOUT_SECONDS', 5, 3600).optional(),
  CLASSROOM_LOGIN_FAILURES_PER_ADDRESS: integer('CLASSROOM_LOGIN_FAILURES_PER_ADDRESS', 1, 1_000_000).optional(),
  CLASSROOM_LOGIN_ACCOUNT_FREE_FAILURES: integer('CLASSROOM_LOGIN_ACCOUNT_FREE_FAILURES', 1, 1000).optional(),
  CLASSROOM_PASSWORD_THREADS: integer('CLASSROOM_PASSWORD_THREADS', 1, 64).optional(),
  CLASSROOM_ACCESS_TOKEN_MINUTES: integer('CLASSROOM_ACCESS_TOKEN_MINUTES', 1, MAX_ACCESS_TOKEN_MINUTES).optional(),
  CLASSROOM_REFRESH_TOKEN_DAYS: integer('CLASSROOM_REFRESH_TOKEN_DAYS', 1, 365).optional(),
  CLASSROOM_LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: 'CLASSROOM_LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
    })
    .optional(),
});

/**
 * Reads `.env.local` (if present) beneath the environment; unknown lines are ignored like dotenv
 * does. No project root (the server hosted by the desktop app): the environment only.
 */
export function readEnvironment(env: NodeJS.ProcessEnv, projectRoot: string | null): Record<string, string | undefined> {
  const file = projectRoot === null ? null : path.join(projectRoot, '.env.local');
  let fromFile: Record<string, string> = {};
  if (file && existsSync(file)) {
    try {
      fromFile = parseEnv(readFileSync(file, 'utf8')) as Record<string, string>;
    } catch (error) {
      throw new ConfigError(`.env.local could not be read: ${(error as Error).message}`);
    }
  }
  const merged: Record<string, string | undefined> = { ...fromFile };
  for (const [key, value] of Object.entries(env)) if (value !== undefined) merged[key] = value;
  // An empty assignment (`ZEGO_APP_ID=`) means "unset", as an env file usually writes it.
  for (const key of Object.keys(merged)) if (merged[key] === '') delete merged[key];
  return merged;
}

/** Validates the variables of docs/interface.md §1; throws ConfigError naming the first bad variable. */
export function parseConfig(vars: Record<string, string | undefined>, defaults: ConfigDefaults): Config {
  const picked = Object.fromEntries(Object.keys(EnvSchema.shape).map((k) => [k, vars[k]]));
  const parsed = EnvSchema.safeParse(picked);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = String(issue.path[0] ?? 'configuration');
    const message = issue.message.includes(variable) ? issue.message : `${variable}: ${issue.message}`;
    throw new ConfigError(`Configuration error: ${message}.`);
  }
  const env = parsed.data;

  if ((env.ZEGO_APP_ID === undefined) !== (env.ZEGO_SERVER_SECRET === undefined)) {
    const missing = env.ZEGO_APP_ID === undefined ? 'ZEGO_APP_ID' : 'ZEGO_SERVER_SECRET';
    throw new ConfigError(`Configuration error: ${missing} must be set too (ZEGO needs both the App ID and the Server Secret).`);
  }
  const store = env.CLASSROOM_STORE ?? 'json';
  if (store === 'redis' && !env.REDIS_URL) {
    throw new ConfigError('Configuration error: REDIS_URL must be set when CLASSROOM_STORE=redis.');
  }

  return {
    host: env.HOST ?? '127.0.0.1',
    port: env.PORT ?? 4800,
    dataDir: path.resolve(env.CLASSROOM_DATA_DIR ?? defaults.dataDir),
    store,
    redisUrl: env.REDIS_URL ?? null,
    demo: env.CLASSROOM_DEMO ?? defaults.demo,
    zego:
      env.ZEGO_APP_ID !== undefined && env.ZEGO_SERVER_SECRET !== undefined
        ? {
            appId: env.ZEGO_APP_ID,
            serverSecret: env.ZEGO_SERVER_SECRET,
            serverUrl: env.ZEGO_SERVER_URL ?? `wss://webliveroom${env.ZEGO_APP_ID}-api.zegocloud.com/ws`,
          }
        : null,
    iceServers: env.CLASSROOM_ICE_SERVERS ?? [],
    allowedOrigins: env.CLASSROOM_ALLOWED_ORIGINS ?? [DESKTOP_APP_ORIGIN],
    logLevel: env.CLASSROOM_LOG_LEVEL ?? 'info',
    ringTimeoutMs: env.CLASSROOM_RING_SECONDS !== undefined ? env.CLASSROOM_RING_SECONDS * 1000 : DEFAULT_RING_TIMEOUT_MS,
    auth: {
      accessTokenTtlMs: (env.CLASSROOM_ACCESS_TOKEN_MINUTES ?? MAX_ACCESS_TOKEN_MINUTES) * 60_000,
      refreshTokenTtlMs: (env.CLASSROOM_REFRESH_TOKEN_DAYS ?? 30) * 24 * 60 * 60_000,
    },
    limits: {
      trustProxy: env.CLASSROOM_TRUST_PROXY === 0 ? false : (env.CLASSROOM_TRUST_PROXY ?? false),
      allowedHosts: env.CLASSROOM_ALLOWED_HOSTS ?? null,
      metricsToken: env.CLASSROOM_METRICS_TOKEN ?? null,
      metricsListen: env.CLASSROOM_METRICS_LISTEN ?? null,
      maxConnectionsPerAddress: env.CLASSROOM_MAX_CONNECTIONS_PER_ADDRESS ?? 256,
      idleTimeoutMs: (env.CLASSROOM_IDLE_TIMEOUT_SECONDS ?? 30) * 1000,
      requestTimeoutMs: (env.CLASSROOM_REQUEST_TIMEOUT_SECONDS ?? 30) * 1000,
      headersTimeoutMs: 10_000,
      keepAliveTimeoutMs: 5_000,
      loginFailuresPerAddress: env.CLASSROOM_LOGIN_FAILURES_PER_ADDRESS ?? 20,
      loginAccountFreeFailures: env.CLASSROOM_LOGIN_ACCOUNT_FREE_FAILURES ?? 10,
      passwordThreads: env.CLASSROOM_PASSWORD_THREADS ?? 2,
    },
  };
}

/** Environment + `.env.local` → Config. */
export function loadConfig(env: NodeJS.ProcessEnv, projectRoot: string | null, defaults: ConfigDefaults): Config {
  return parseConfig(readEnvironment(env, projectRoot), defaults);
}
