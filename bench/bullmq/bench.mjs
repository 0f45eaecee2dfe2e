// BullMQ peer measurements for RedisFlow's benchmarks. bench/RedisFlow.Benchmarks runs this script against its own
// redis-server and reads the last line, "RESULT {json}". Every mode uses fresh queue names and removes them after.
//
//   node bench.mjs add      --port P --count N --reps R --bulk 0|1
//   node bench.mjs process  --port P --count N --reps R --concurrency C
//   node bench.mjs latency  --port P --rate 200 --seconds S
//   node bench.mjs idle     --port P --seconds S        (prints READY, then idles until stdin closes or S passes)
import { Queue, Worker } from 'bullmq';
import { randomUUID } from 'node:crypto';

const [mode, ...rest] = process.argv.slice(2);
const args = {};
for (let i = 0; i + 1 < rest.length; i += 2) {
  args[rest[i].replace(/^--/, '')] = rest[i + 1];
}
const port = Number(args.port ?? 6379);
const connection = { host: '127.0.0.1', port };
const payload = { doc_id: 'bench', kb_id: 'bench', task: 'parse', from_page: 0, to_page: 12 };
const jobOptions = { removeOnComplete: true, removeOnFail: true };

const nowMs = () => Number(process.hrtime.bigint()) / 1e6;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function newQueue() {
  return new Queue(`bench-${randomUUID()}`, { connection });
}

async function dispose(queue) {
  await queue.obliterate({ force: true });
  await queue.close();
}

async function addJobs(queue, count, bulk) {
  if (bulk) {
    const chunk = 1000;
    for (let done = 0; done < count; done += chunk) {
      const n = Math.min(chunk, count - done);
      await queue.addBulk(Array.from({ length: n }, () => ({ name: 'job', data: payload, opts: jobOptions })));
    }
  } else {
    for (let i = 0; i < count; i++) {
      await queue.add('job', payload, jobOptions);
    }
  }
}

async function measureAdd(count, reps, bulk) {
  const rates = [];
  for (let r = 0; r < reps; r++) {
    const queue = newQueue();
    await queue.waitUntilReady();
    const started = nowMs();
    await addJobs(queue, count, bulk);
    rates.push(count / ((nowMs() - started) / 1000));
    await dispose(queue);
  }
  return { rates };
}

async function measureProcess(count, reps, concurrency) {
  const rates = [];
  for (let r = 0; r < reps; r++) {
    const queue = newQueue();
    await addJobs(queue, count, true);
    let completed = 0;
    let finish;
    const allDone = new Promise((resolve) => { finish = resolve; });
    const worker = new Worker(queue.name, async () => 'ok', { connection, concurrency, autorun: false });
    worker.on('completed', () => {
      completed++;
      if (completed === count) finish();
    });
    await worker.waitUntilReady();
    const started = nowMs();
    worker.run();
    const limit = setTimeout(() => finish(), 120_000);
    await allDone;
    clearTimeout(limit);
    if (completed < count) throw new Error(`only ${completed} of ${count} jobs completed within 120 s`);
    rates.push(count / ((nowMs() - started) / 1000));
    await worker.close();
    await dispose(queue);
  }
  return { rates };
}

function percentile(sorted, p) {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[index];
}

async function measureLatency(rate, seconds) {
  const queue = newQueue();
  const latencies = [];
  const worker = new Worker(queue.name, async (job) => { latencies.push(nowMs() - job.data.sent); }, { connection, concurrency: 1 });
  await worker.waitUntilReady();
  await queue.waitUntilReady();
  await sleep(200); // let the worker reach its blocking wait, as an idle consumer would be
  const total = Math.max(1, Math.round(rate * seconds));
  const interval = 1000 / rate;
  const started = nowMs();
  for (let i = 0; i < total; i++) {
    const due = started + i * interval;
    const wait = due - nowMs();
    if (wait > 0) await sleep(wait);
    await queue.add('job', { ...payload, sent: nowMs() }, jobOptions);
  }
  const deadline = nowMs() + 10_000;
  while (latencies.length < total && nowMs() < deadline) await sleep(5);
  await worker.close();
  await dispose(queue);
  const sorted = [...latencies].sort((a, b) => a - b);
  return { count: sorted.length, sent: total, p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), max: sorted[sorted.length - 1] };
}

async function idle(seconds) {
  const queue = newQueue();
  const worker = new Worker(queue.name, async () => 'ok', { connection, concurrency: 1 });
  await worker.waitUntilReady();
  console.log('READY');
  await new Promise((resolve) => {
    const timer = setTimeout(resolve, seconds * 1000);
    process.stdin.on('end', () => { clearTimeout(timer); resolve(); });
    process.stdin.on('close', () => { clearTimeout(timer); resolve(); });
    process.stdin.resume();
  });
  await worker.close();
  await dispose(queue);
  return {};
}

let result;
switch (mode) {
  case 'add':
    result = await measureAdd(Number(args.count ?? 1000), Number(args.reps ?? 1), args.bulk === '1');
    break;
  case 'process':
    result = await measureProcess(Number(args.count ?? 1000), Number(args.reps ?? 1), Number(args.concurrency ?? 1));
    break;
  case 'latency':
    result = await measureLatency(Number(args.rate ?? 200), Number(args.seconds ?? 5));
    break;
  case 'idle':
    result = await idle(Number(args.seconds ?? 10));
    break;
  default:
    console.error(`unknown mode '${mode}'; use add, process, latency or idle`);
    process.exit(2);
}
console.log(`RESULT ${JSON.stringify(result)}`);
process.exit(0);
