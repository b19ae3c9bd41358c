import express from 'express';
import expressPouchDB from 'express-pouchdb';
import PouchDB from 'pouchdb';
import memoryAdapter from 'pouchdb-adapter-memory';
import { benchDataset } from '../seeded-outpost.ts';
import { PEER_COLLECTIONS, toCouchDocument } from './couch-documents.ts';

/**
 * The peer of the initial-sync benchmarks: express-pouchdb (the core of pouchdb-server) on
 * Express 4 over in-memory PouchDB databases, one per collection, holding the same documents
 * the Outpost server holds. BENCH_DEVICES / BENCH_RUNBOOKS / BENCH_RISKS size the dataset.
 */
const MemoryPouch = PouchDB.plugin(memoryAdapter).defaults({ adapter: 'memory' });
const dataset = benchDataset({
  devices: Number(process.env['BENCH_DEVICES'] ?? 10_000),
  runbooks: Number(process.env['BENCH_RUNBOOKS'] ?? 1000),
  risks: Number(process.env['BENCH_RISKS'] ?? 2000),
});
// Set up first: express-pouchdb only serves databases created after it wraps the constructor.
const app = express();
// The browser bench page, served from this origin so PouchDB replicates without CORS.
const pageDir = process.env['BENCH_PAGE_DIR'];
if (pageDir) app.use('/bench-page', express.static(pageDir));
app.use('/', expressPouchDB(MemoryPouch, { mode: 'minimumForPouchDB', inMemoryConfig: true }));
for (const collection of PEER_COLLECTIONS) {
  const db = new MemoryPouch(collection);
  const documents = dataset[collection].map(toCouchDocument);
  for (let i = 0; i < documents.length; i += 1000) {
    const results = await db.bulkDocs(documents.slice(i, i + 1000));
    const failed = results.find((r) => r.error);
    if (failed) throw new Error(`loading ${collection} failed: ${failed.error}`);
  }
}

const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  console.log(`pouchdb server at http://127.0.0.1:${port}`);
});
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
