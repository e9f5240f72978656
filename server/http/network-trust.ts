/**
 * Which names the server answers to, and which peers it trusts — shared by the HTTP plugins and the
 * Socket.IO handshake.
 *
 * Host allow-list: a page on attacker.example whose DNS name is rebound to 127.0.0.1 reaches the
 * embedded server with `Host: attacker.example`; refusing unknown Host values closes that door.
 * Allowed: the loopback names, the configured HOST, and either CLASSROOM_ALLOWED_HOSTS or — when
 * listening on every interface without that setting — this machine's own names and addresses.
 */
import os from 'node:os';
import ipaddr from 'ipaddr.js';
import type { Config } from '../config';

export const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '::1'];
const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '']);

export function allowedHostNames(config: Config): Set<string> {
  const names = new Set(LOOPBACK_HOSTS);
  if (!WILDCARD_HOSTS.has(config.host)) names.add(config.host.toLowerCase());
  if (config.limits.allowedHosts) {
    for (const host of config.limits.allowedHosts) names.add(host);
  } else if (WILDCARD_HOSTS.has(config.host)) {
    const hostname = os.hostname().toLowerCase();
    names.add(hostname).add(`${hostname}.local`);
    for (const addresses of Object.values(os.networkInterfaces())) for (const address of addresses ?? []) names.add(address.address.toLowerCase().split('%')[0]!);
  }
  return names;
}

/** The host part of a Host header (`[::1]:4800` → `::1`, `Example.org:80` → `example.org`). */
export function hostOf(header: string | undefined): string | null {
  if (!header) return null;
  const value = header.trim().toLowerCase();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(value);
  if (bracketed) return bracketed[1]!;
  const match = /^([^:]+)(?::\d+)?$/.exec(value);
  return match ? match[1]!.replace(/\.$/, '') : null;
}

export function createHostCheck(config: Config): (hostHeader: string | undefined) => boolean {
  const names = allowedHostNames(config);
  return (header) => {
    const host = hostOf(header);
    return host !== null && (names.has(host) || host.endsWith('.localhost'));
  };
}

function parse(address: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  try {
    const parsed = ipaddr.parse(address);
    return parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress() ? (parsed as ipaddr.IPv6).toIPv4Address() : parsed;
  } catch {
    return null;
  }
}

export const isLoopback = (address: string) => parse(address)?.range() === 'loopback';

/**
 * Peers not subject to the per-address connection cap: every peer when a hop count is trusted (the
 * peer is always the balancer), the listed proxies, and loopback peers (local processes, a reverse
 * proxy on the same machine) unless `countLoopback`.
 */
export function createCapExemption(config: Config, countLoopback: boolean): (address: string) => boolean {
  const { trustProxy } = config.limits;
  if (typeof trustProxy === 'number') return () => true;
  const ranges = (trustProxy || []).map((entry) => (entry.includes('/') ? ipaddr.parseCIDR(entry) : ipaddr.parseCIDR(`${entry}/${entry.includes(':') ? 128 : 32}`)));
  return (address) => {
    const parsed = parse(address);
    if (!parsed) return false;
    if (!countLoopback && parsed.range() === 'loopback') return true;
    return ranges.some(([range, bits]) => range.kind() === parsed.kind() && parsed.match(range, bits));
  };
}
