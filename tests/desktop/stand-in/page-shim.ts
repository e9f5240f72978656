/**
 * The page side of the Electron stand-in's preload bridge: browser code (type-checked with the web
 * project), compiled to plain JavaScript and injected as text before the page's own scripts (see
 * windows.ts).
 *
 * Runs in the page before its own scripts: asks the stand-in to run the preload for this document
 * and builds what it exposed. Calls are synchronous XHRs to the stand-in (so a function returning a
 * function — an unsubscribe — returns it at once, as with Electron); promises settle later.
 */
type Described = { fn: string } | { value: unknown } | { object: Record<string, Described> };

// Called by the text windows.ts injects.
// eslint-disable-next-line @typescript-eslint/no-unused-vars
function electronStandInPageShim({ endpoint, windowId, secret, hasPreload }: { endpoint: string; windowId: number; secret: string; hasPreload: boolean }): void {
  if (window.top !== window || !hasPreload) return;
  const callbacks = new Map<number, (...args: unknown[]) => void>();
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  // A settlement can reach the page before the call that created the promise has returned to it
  // (the stand-in answers the synchronous request, then settles at once): it waits here.
  const early = new Map<number, { ok: boolean; value: unknown }>();
  const awaitSettlement = (id: number) =>
    new Promise((resolve, reject) => {
      const settled = early.get(id);
      early.delete(id);
      if (!settled) pending.set(id, { resolve, reject });
      else if (settled.ok) resolve(settled.value);
      else reject(new Error(String(settled.value)));
    });
  let nextCallback = 0;
  let documentId = 0;
  const post = (op: string, body: Record<string, unknown>): Record<string, unknown> => {
    const request = new XMLHttpRequest();
    request.open('POST', endpoint + op, false);
    request.setRequestHeader('content-type', 'application/json');
    request.send(JSON.stringify({ windowId, secret, documentId, href: location.href, ...body }));
    const reply = JSON.parse(request.responseText) as Record<string, unknown>;
    if (reply.error !== undefined) throw new Error(String(reply.error));
    return reply;
  };
  const encode = (value: unknown) => {
    if (typeof value !== 'function') return value;
    callbacks.set(++nextCallback, value as (...args: unknown[]) => void);
    return { __standInCallback: nextCallback };
  };
  const remote =
    (path: string) =>
    (...args: unknown[]): unknown => {
      const reply = post('call', { path, args: args.map(encode) });
      if ('promise' in reply) return awaitSettlement(reply.promise as number);
      if ('fn' in reply) return remote(String(reply.fn));
      return reply.value;
    };
  const build = (described: Described): unknown => {
    if ('fn' in described) return remote(described.fn);
    if ('object' in described) return Object.freeze(Object.fromEntries(Object.entries(described.object).map(([key, inner]) => [key, build(inner)])));
    return described.value;
  };
  Object.defineProperty(window, '__electronStandIn', {
    value: Object.freeze({
      get documentId() {
        return documentId;
      },
      settle(id: number, ok: boolean, value: unknown) {
        const waiting = pending.get(id);
        pending.delete(id);
        if (!waiting) early.set(id, { ok, value });
        else if (ok) waiting.resolve(value);
        else waiting.reject(new Error(String(value)));
      },
      callback(id: number, args: unknown[]) {
        callbacks.get(id)?.(...args);
      },
    }),
  });
  const started = post('document', {});
  documentId = started.documentId as number;
  for (const [key, described] of Object.entries(started.exposed as Record<string, Described>)) {
    Object.defineProperty(window, key, { value: build(described), enumerable: true });
  }
  // Screen capture goes through the app's display-media request handler, as in Electron.
  if (navigator.mediaDevices) {
    navigator.mediaDevices.getDisplayMedia = async (constraints?: DisplayMediaStreamOptions) => {
      const response = await fetch(`${endpoint}display-media`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ windowId, secret, documentId, audio: Boolean(constraints?.audio) }) });
      const { source } = (await response.json()) as { source: { id: string; name: string } | null };
      if (!source) throw new DOMException('Permission denied by system', 'NotAllowedError');
      const canvas = document.createElement('canvas');
      canvas.width = 640;
      canvas.height = 360;
      const paint = canvas.getContext('2d')!;
      const draw = () => {
        paint.fillStyle = '#234';
        paint.fillRect(0, 0, 640, 360);
        paint.fillStyle = '#fff';
        paint.font = '24px sans-serif';
        paint.fillText(`${source.name} · ${new Date().toLocaleTimeString()}`, 24, 48);
      };
      draw();
      setInterval(draw, 250);
      const stream = canvas.captureStream(4);
      Object.defineProperty(stream.getVideoTracks()[0]!, 'label', { value: source.name });
      return stream;
    };
  }
}
