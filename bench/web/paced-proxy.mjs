// A poor phone link on loopback: a TCP proxy (TLS passes through untouched) whose two directions
// are each one shared link of `kbps` with `rttMs / 2` of delay. Every chunk waits for the link to
// be free (serialisation at the link's rate, shared by all connections as on one phone's radio),
// then arrives half a round trip later. Bytes are counted per direction.
import net from 'node:net';

class Link {
  constructor(kbps, delayMs) {
    this.bytesPerMs = (kbps * 1000) / 8 / 1000;
    this.delayMs = delayMs;
    this.freeAt = 0;
    this.bytes = 0;
  }

  // Calls deliver(chunk) when the chunk has crossed the link; order kept per link.
  send(chunk, deliver) {
    const now = performance.now();
    const start = Math.max(now, this.freeAt);
    this.freeAt = start + chunk.length / this.bytesPerMs;
    this.bytes += chunk.length;
    setTimeout(deliver, Math.max(0, this.freeAt + this.delayMs - now), chunk);
  }
}

export async function startPacedProxy(targetPort, { kbps = 400, rttMs = 400 } = {}) {
  const up = new Link(kbps, rttMs / 2);
  const down = new Link(kbps, rttMs / 2);
  const sockets = new Set();
  const server = net.createServer((client) => {
    const hub = net.connect(targetPort, '127.0.0.1');
    sockets.add(client).add(hub);
    let open = 2;
    const closeBoth = () => { client.destroy(); hub.destroy(); };
    // the TCP handshake's round trip, then the data in both directions through the links
    client.pause();
    setTimeout(() => client.resume(), rttMs);
    client.on('data', (d) => up.send(d, (c) => { if (!hub.destroyed) hub.write(c); }));
    hub.on('data', (d) => down.send(d, (c) => { if (!client.destroyed) client.write(c); }));
    const ended = (other, link) => () => {
      // a FIN travels like data: after what was sent before it
      link.send(Buffer.alloc(0), () => { other.end(); if (--open === 0) closeBoth(); });
    };
    client.on('end', ended(hub, up));
    hub.on('end', ended(client, down));
    for (const s of [client, hub]) {
      s.on('error', closeBoth);
      s.on('close', () => sockets.delete(s));
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: server.address().port,
    counts: () => ({ up: up.bytes, down: down.bytes }),
    close: () => new Promise((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}
