// DuckDB peer for bench/run.sh: the same counts as mj-tab, as CSV on stdout.
// Usage: node duckdb.mjs one|two FILE
import { DuckDBInstance } from '@duckdb/node-api';

const [query, file] = process.argv.slice(2);
const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
const conn = await instance.connect();
const cols = query === 'two' ? 'region, violence' : 'region';
const reader = await conn.runAndReadAll(
  `SELECT ${cols}, count(*) AS n FROM read_csv('${file}', header = true, all_varchar = true) GROUP BY ${cols}`);
const lines = ['header'];
for (const row of reader.getRows())
  lines.push(row.map(String).join(','));
process.stdout.write(lines.join('\n') + '\n');
