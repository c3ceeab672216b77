// A flaky link for the browser tests: a TCP proxy to the hub (TLS passes through untouched) that
// cuts a connection once it has carried `cutAfter` bytes from the browser — an upload cut in the
// middle, as on a train — while the small WebSocket traffic passes. `cutsLeft` says how many
// connections are still to be cut (Infinity: every large one, the link is down for uploads).
import net from 'node:net';

// `bytesPerMs`: the browser's side is read at this rate (the socket buffers then fill, and the
// upload's progress is seen in steps rather than as 100 % at once on loopback).
export async function startCutProxy(targetPort, { cutAfter = 512 * 1024, bytesPerMs = 4000 } = {}) {
  const sockets = new Set();
  const proxy = { cutsLeft: 0, cuts: 0, cutAfter, port: 0, origin: '' };
  const server = net.createServer((client) => {
    const hub = net.connect(targetPort, '127.0.0.1');
    sockets.add(client).add(hub);
    let up = 0;
    const closeBoth = () => { client.destroy(); hub.destroy(); };
    client.on('data', (d) => {
      up += d.length;
      if (up > proxy.cutAfter && proxy.cutsLeft > 0) {
        proxy.cutsLeft -= 1;
        proxy.cuts += 1;
        client.resetAndDestroy();
        hub.destroy();
        return;
      }
      hub.write(d);
      client.pause();
      setTimeout(() => client.resume(), d.length / bytesPerMs);
    });
    hub.on('data', (d) => client.write(d));
    client.on('end', () => hub.end());
    hub.on('end', () => client.end());
    client.on('error', closeBoth);
    hub.on('error', closeBoth);
    client.on('close', () => { sockets.delete(client); hub.destroy(); });
    hub.on('close', () => { sockets.delete(hub); client.destroy(); });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.port = server.address().port;
  proxy.origin = `https://127.0.0.1:${proxy.port}`;
  proxy.stop = () => new Promise((resolve) => {
    for (const s of sockets) s.destroy();
    server.close(() => resolve());
  });
  return proxy;
}
