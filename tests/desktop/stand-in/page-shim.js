/**
 * The page side of the Electron stand-in's preload bridge (plain browser JavaScript, injected as
 * text before the page's own scripts; see windows.ts).
 *
 * Runs in the page before its own scripts: asks the stand-in to run the preload for this document
 * and builds what it exposed. Calls are synchronous XHRs to the stand-in (so a function returning a
 * function — an unsubscribe — returns it at once, as with Electron); promises settle later.
 */
(function pageShim({ endpoint, windowId, secret, hasPreload }) {
  if (window.top !== window || !hasPreload) return;
  const callbacks = new Map();
  const pending = new Map();
  let nextCallback = 0;
  let documentId = 0;
  const post = (op, body) => {
    const request = new XMLHttpRequest();
    request.open('POST', endpoint + op, false);
    request.setRequestHeader('content-type', 'application/json');
    request.send(JSON.stringify({ windowId, secret, documentId, ...body }));
    const reply = JSON.parse(request.responseText);
    if (reply.error !== undefined) throw new Error(String(reply.error));
    return reply;
  };
  const encode = (value) => {
    if (typeof value !== 'function') return value;
    callbacks.set(++nextCallback, value);
    return { __standInCallback: nextCallback };
  };
  const remote =
    (path) =>
    (...args) => {
      const reply = post('call', { path, args: args.map(encode) });
      if ('promise' in reply) return new Promise((resolve, reject) => pending.set(reply.promise, { resolve, reject }));
      if ('fn' in reply) return remote(String(reply.fn));
      return reply.value;
    };
  const build = (described) => {
    if ('fn' in described) return remote(described.fn);
    if ('object' in described) return Object.freeze(Object.fromEntries(Object.entries(described.object).map(([key, inner]) => [key, build(inner)])));
    return described.value;
  };
  Object.defineProperty(window, '__electronStandIn', {
    value: Object.freeze({
      settle(id, ok, value) {
        const waiting = pending.get(id);
        pending.delete(id);
        if (ok) waiting?.resolve(value);
        else waiting?.reject(new Error(String(value)));
      },
      callback(id, args) {
        callbacks.get(id)?.(...args);
      },
    }),
  });
  const started = post('document', {});
  documentId = started.documentId;
  for (const [key, described] of Object.entries(started.exposed)) {
    Object.defineProperty(window, key, { value: build(described), enumerable: true });
  }
  // Screen capture goes through the app's display-media request handler, as in Electron.
  if (navigator.mediaDevices) {
    navigator.mediaDevices.getDisplayMedia = async (constraints) => {
      const response = await fetch(`${endpoint}display-media`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ windowId, secret, documentId, audio: Boolean(constraints?.audio) }) });
      const { source } = (await response.json());
      if (!source) throw new DOMException('Permission denied by system', 'NotAllowedError');
      const canvas = document.createElement('canvas');
      canvas.width = 640;
      canvas.height = 360;
      const paint = canvas.getContext('2d');
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
      Object.defineProperty(stream.getVideoTracks()[0], 'label', { value: source.name });
      return stream;
    };
  }
})
