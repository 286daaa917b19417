'use strict';
// A Node client of a polyrun cluster, as a new user would write one: it finds
// the service by server reflection (v1alpha and v1), calls every RPC, and
// checks the error model (codes, readable messages, ErrorInfo reasons).
//
//   node interop.js HOST:PORT API_KEY [QUOTA_API_KEY]
//
// QUOTA_API_KEY, when given, belongs to a tenant with max-active-jobs 1.
// Prints one line per check and a last line "interop: N passed, M failed";
// exits 1 when a check failed.
const assert = require('node:assert/strict');
const grpc = require('@grpc/grpc-js');
const { openReflection, loadServices } = require('./reflection');
const { statusDetails } = require('./rpc-status');

const [address, apiKey, quotaKey] = process.argv.slice(2);
if (!address || !apiKey) {
  console.error('usage: node interop.js HOST:PORT API_KEY [QUOTA_API_KEY]');
  process.exit(2);
}
const SERVICES = ['polyrun.v1.ExecutorService', 'grpc.health.v1.Health', 'grpc.reflection.v1.ServerReflection',
  'grpc.reflection.v1alpha.ServerReflection'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const PERCENT_ESCAPE = /%[0-9A-Fa-f]{2}/;
let passed = 0;
let failed = 0;

async function check(name, body) {
  try {
    await body();
    passed++;
    console.log(`ok - ${name}`);
  } catch (e) {
    failed++;
    console.log(`not ok - ${name}: ${e.stack || e}`);
  }
}

function auth(key) {
  const metadata = new grpc.Metadata();
  if (key) {
    metadata.set('authorization', `Bearer ${key}`);
  }
  return metadata;
}

const within = (seconds) => ({ deadline: Date.now() + seconds * 1000 });

function unary(client, method, request, key = apiKey, seconds = 60) {
  return new Promise((resolve, reject) => {
    client[method](request, auth(key), within(seconds), (error, answer) => (error ? reject(error) : resolve(answer)));
  });
}

/** Resolves with the stream's events when it ends; onEvent sees each as it arrives. */
function collect(call, onEvent = () => {}) {
  return new Promise((resolve, reject) => {
    const events = [];
    call.on('data', (event) => {
      events.push(event);
      onEvent(event);
    });
    call.on('error', reject);
    call.on('end', () => resolve(events));
  });
}

/** The refusal of a call expected to fail, with its status details. */
async function refusal(promise) {
  let error;
  try {
    await promise;
  } catch (e) {
    error = e;
  }
  assert.ok(error, 'expected the call to be refused');
  assert.ok(error.code !== grpc.status.UNKNOWN, `status UNKNOWN: ${error.message}`);
  return { code: error.code, message: error.details, details: statusDetails(error) };
}

function assertReason(refused, code, reason) {
  assert.equal(refused.code, code, `code of "${refused.message}"`);
  assert.equal(refused.details.order[0], 'ErrorInfo', 'ErrorInfo comes first');
  assert.equal(refused.details.ErrorInfo.domain, 'polyrun.dev');
  assert.equal(refused.details.ErrorInfo.reason, reason);
}

function python(source, extra = {}) {
  return { language: 'python', files: [{ content: Buffer.from(source) }], ...extra };
}

const stdoutOf = (events) => Buffer.concat(events.filter((e) => e.event === 'stdout').map((e) => e.stdout)).toString();
const resultOf = (events) => events[events.length - 1].result;

async function discover(version) {
  const stream = openReflection(address, version);
  try {
    const list = await stream.ask({ list_services: '' });
    const files = await stream.ask({ file_containing_symbol: 'polyrun.v1.ExecutorService' });
    const missing = await stream.ask({ file_containing_symbol: 'polyrun.v1.Nope' });
    return {
      services: list.list_services_response.service.map((s) => s.name).sort(),
      files: files.file_descriptor_response.file_descriptor_proto,
      missingCode: missing.error_response.error_code,
    };
  } finally {
    stream.close();
  }
}

async function main() {
  const found = {};
  for (const version of ['v1alpha', 'v1']) {
    await check(`reflection ${version} lists every service and describes ExecutorService on one stream`, async () => {
      const answers = await discover(version);
      assert.deepEqual(answers.services, [...SERVICES].sort());
      assert.ok(answers.files.length >= 2, 'the file and what it imports');
      assert.equal(answers.missingCode, grpc.status.NOT_FOUND);
      found[version] = answers;
    });
  }
  await check('reflection v1alpha and v1 give the same descriptors', async () => {
    assert.ok(found.v1alpha && found.v1, 'both versions answered');
    assert.equal(found.v1.files.length, found.v1alpha.files.length);
    found.v1.files.forEach((file, i) => assert.ok(file.equals(found.v1alpha.files[i]), `file ${i} differs`));
  });
  const discovered = found.v1alpha || found.v1;
  if (!discovered) {
    return;
  }
  const ExecutorService = loadServices(discovered.files).polyrun.v1.ExecutorService;
  const client = new ExecutorService(address, grpc.credentials.createInsecure());
  await checkCalls(client);
  await checkRefusals(client);
  client.close();
}

async function checkCalls(client) {
  let hello;
  await check('ListLanguages lists python', async () => {
    const answer = await unary(client, 'ListLanguages', {});
    assert.ok(answer.languages.some((l) => l.name === 'python'), JSON.stringify(answer.languages.map((l) => l.name)));
  });
  await check('Submit, then StreamEvents from the start, then GetJob', async () => {
    hello = (await unary(client, 'Submit', python('print("hello from node")'))).job_id;
    assert.match(hello, UUID);
    const events = await collect(client.StreamEvents({ job_id: hello }, auth(apiKey), within(60)));
    assert.equal(events[0].state.state, 'JOB_STATE_QUEUED');
    assert.equal(stdoutOf(events), 'hello from node\n');
    const result = resultOf(events);
    assert.equal(result.verdict, 'VERDICT_OK');
    assert.equal(result.run.exit_code, 0, 'an exit of its own has its exit code, 0 included');
    assert.ok(!('signal' in result.run), 'no signal ended it');
    const job = await unary(client, 'GetJob', { job_id: hello });
    assert.equal(job.state, 'JOB_STATE_DONE');
    assert.equal(job.result.verdict, 'VERDICT_OK');
  });
  await check('Execute streams the job from its id to its result', async () => {
    const request = python('print(input()[::-1])', { stdin: Buffer.from('edon olleh\n') });
    const events = await collect(client.Execute(request, auth(apiKey), within(60)));
    assert.match(events[0].job_id, UUID);
    assert.equal(stdoutOf(events), 'hello node\n');
    assert.equal(resultOf(events).verdict, 'VERDICT_OK');
  });
  await check('a unary call is answered while 101 streams are open on the channel; CancelJob ends them', async () => {
    await streamsAndCancel(client);
  });
  await check('CancelJob of a finished job answers its final state', async () => {
    assert.ok(hello, 'the hello job ran');
    assert.equal((await unary(client, 'CancelJob', { job_id: hello })).state, 'JOB_STATE_DONE');
  });
}

async function streamsAndCancel(client) {
  const source = 'import time\nprint("started", flush=True)\ntime.sleep(80)';
  const sleeper = (await unary(client, 'Submit', python(source, { run_limits: { wall_time_ms: '90000' } }))).job_id;
  let opened = 0;
  let ended = false;
  let started;
  const running = new Promise((resolve) => { started = resolve; });
  const streams = [];
  for (let i = 0; i < 101; i++) {
    let first = true;
    streams.push(collect(client.StreamEvents({ job_id: sleeper }, auth(apiKey), within(120)), (event) => {
      if (first) {
        first = false;
        opened++;
      }
      if (event.event === 'stdout') {
        started();
      } else if (event.event === 'result') {
        ended = true;
      }
    }));
  }
  await waitFor(() => opened === 101, 30, () => `${opened} of 101 streams delivered their first event`);
  assert.ok(!ended, 'the 101 streams were open at once (not one after the others ended)');
  await Promise.race([running, new Promise((_, reject) => setTimeout(() => reject(new Error('never ran')), 60_000))]);
  const job = await unary(client, 'GetJob', { job_id: sleeper }, apiKey, 10);
  assert.equal(job.state, 'JOB_STATE_RUNNING');
  assert.equal((await unary(client, 'CancelJob', { job_id: sleeper })).state, 'JOB_STATE_CANCELLED');
  const events = await Promise.all(streams);
  assert.ok(events.every((e) => resultOf(e).verdict === 'VERDICT_CANCELLED'), 'every stream ends CANCELLED');
}

async function waitFor(condition, seconds, describe) {
  const until = Date.now() + seconds * 1000;
  while (!condition()) {
    if (Date.now() > until) {
      throw new Error(describe());
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function rawCall(client, path) {
  return new Promise((resolve, reject) => {
    client.makeUnaryRequest(path, (b) => b, (b) => b, Buffer.alloc(0), auth(apiKey), within(30),
      (error, answer) => (error ? reject(error) : resolve(answer)));
  });
}

async function checkRefusals(client) {
  await check('an unknown method and an unknown service are UNIMPLEMENTED', async () => {
    const method = await refusal(rawCall(client, '/polyrun.v1.ExecutorService/Nope'));
    assertReason(method, grpc.status.UNIMPLEMENTED, 'UNKNOWN_METHOD');
    assert.match(method.message, /^unknown method 'Nope' of polyrun\.v1\.ExecutorService \(expected: one of \[Submit,/);
    const service = await refusal(rawCall(client, '/polyrun.nope.Service/Do'));
    assertReason(service, grpc.status.UNIMPLEMENTED, 'UNKNOWN_METHOD');
    assert.match(service.message, /^unknown service 'polyrun\.nope\.Service'/);
  });
  await check('a refusal\'s message arrives readable, with its ErrorInfo and field violations', async () => {
    const request = python('print(1)', { language: 'pythön', run_limits: { memory_bytes: '17179869184' } });
    const refused = await refusal(unary(client, 'Submit', request));
    assertReason(refused, grpc.status.INVALID_ARGUMENT, 'INVALID_REQUEST');
    assert.ok(refused.message.startsWith("language: 'pythön' (expected: one of ["), refused.message);
    assert.ok(refused.message.includes('; run_limits.memory_bytes: 17179869184 (expected: 0 for the default, or 1..'),
      refused.message);
    assert.doesNotMatch(refused.message, PERCENT_ESCAPE);
    assert.deepEqual(refused.details.BadRequest.field_violations.map((v) => v.field),
      ['language', 'run_limits.memory_bytes']);
    assertReason(await refusal(unary(client, 'Submit', python('print(1)', { language: 'intercal' }))),
      grpc.status.INVALID_ARGUMENT, 'UNKNOWN_LANGUAGE');
  });
  await check('unknown jobs and missing or unknown API keys have their reasons', async () => {
    const job = { job_id: '00000000-0000-4000-8000-000000000000' };
    assertReason(await refusal(unary(client, 'GetJob', job)), grpc.status.NOT_FOUND, 'JOB_NOT_FOUND');
    assertReason(await refusal(unary(client, 'ListLanguages', {}, null)), grpc.status.UNAUTHENTICATED,
      'API_KEY_MISSING');
    assertReason(await refusal(unary(client, 'ListLanguages', {}, 'k-nobody')), grpc.status.UNAUTHENTICATED,
      'API_KEY_INVALID');
  });
  if (quotaKey) {
    await check('a tenant over its quota reads why, when to retry, and a readable message', async () => {
      const first = (await unary(client, 'Submit', python('import time\ntime.sleep(60)'), quotaKey)).job_id;
      try {
        const refused = await refusal(unary(client, 'Submit', python('print(1)'), quotaKey));
        assertReason(refused, grpc.status.RESOURCE_EXHAUSTED, 'QUOTA_EXCEEDED');
        assert.ok(refused.details.RetryInfo.retry_delay.seconds >= 0 && refused.details.order[1] === 'RetryInfo');
        assert.ok(refused.message.includes('jobs queued or running, its most at once; retry when one has finished'),
          refused.message);
        assert.doesNotMatch(refused.message, PERCENT_ESCAPE);
      } finally {
        await unary(client, 'CancelJob', { job_id: first }, quotaKey);
      }
    });
  }
}

main()
  .catch((e) => {
    failed++;
    console.log(`not ok - interop: ${e.stack || e}`);
  })
  .finally(() => {
    console.log(`interop: ${passed} passed, ${failed} failed`);
    process.exit(failed === 0 ? 0 : 1);
  });
