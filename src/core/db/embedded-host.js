// The embedded database's host: a worker thread that runs PGlite on the data directory
// and serves it on 127.0.0.1 with pglite-socket. PGlite executes SQL synchronously on
// the thread it lives on; here that is not the tool's thread, so the tool's own work
// (rendering, sending) and the database's run on two cores.
//
// Plain JavaScript so that the same file runs from the sources and from dist/.
// Started with workerData { dataDir, settings }; posts { port } once serving, or
// { error } when PGlite cannot open the directory; on 'stop' it stops serving, closes
// PGlite (a clean shutdown of the directory) and posts 'stopped'.
import { parentPort, workerData } from 'node:worker_threads';

const { dataDir, settings } = workerData;
const SHARED_BUFFERS = '16MB';

try {
  const [{ PGlite }, { PGLiteSocketServer }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite-socket'),
  ]);
  // 16 MB of shared buffers instead of PostgreSQL's 128 MB: PGlite's WebAssembly memory
  // holds them in this process, and they only ever grow it (by about 120 MB over a
  // launch); the operating system's page cache still holds the data files.
  const db = await PGlite.create(dataDir, {
    startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${SHARED_BUFFERS}`],
  });
  // pglite-socket ignores a client's startup parameters; PGlite has one backend session,
  // so setting them on it once holds for every connection.
  await db.exec(settings);
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 1 });
  await server.start();
  parentPort.on('message', (message) => {
    if (message !== 'stop') return;
    void server
      .stop()
      .then(() => db.close())
      .then(() => parentPort.postMessage('stopped'))
      .finally(() => parentPort.close());
  });
  parentPort.postMessage({ port: Number(server.getServerConn().split(':').pop()) });
} catch (error) {
  parentPort.postMessage({ error: error instanceof Error ? error.message : String(error) });
  parentPort.close();
}
