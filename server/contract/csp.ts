/** One Content-Security-Policy for the renderer, sent by the server (web client) and by the desktop app's protocol. */

/**
 * The renderer's Content-Security-Policy: our own code only; network to the Classroom server
 * (and, with ZEGOCLOUD, its secure endpoints); media from the devices.
 */
export function contentSecurityPolicy(serverOrigin: string | null, zego: boolean): string {
  const connect = ["'self'"];
  if (serverOrigin) connect.push(serverOrigin, serverOrigin.replace(/^http/, 'ws'));
  if (zego) connect.push('https:', 'wss:');
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob: mediastream:",
    `connect-src ${connect.join(' ')}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
