if (!Promise.withResolvers) Promise.withResolvers = function () { let resolve, reject; const promise = new this((a, b) => { resolve = a; reject = b; }); return { promise, resolve, reject }; };
const t0 = Date.now();
const { StateMachine, ExecutionError } = await import('aws-local-stepfunctions');
console.log('import', Date.now() - t0);
const def = { StartAt: 'A', States: {
  A: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:000000000000:function:tillflow-flaky', Retry: [{ ErrorEquals: ['TransientError'], IntervalSeconds: 1, MaxAttempts: 2, BackoffRate: 2, JitterStrategy: 'FULL' }], Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'F' }], Next: 'B' },
  B: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:tillflow-x', 'Payload.$': '$' }, ResultSelector: { 'v.$': '$.Payload' }, Next: 'P' },
  P: { Type: 'Parallel', Branches: [{ StartAt: 'C', States: { C: { Type: 'Task', Parameters: { 'id.$': '$$.Execution.Id', 'n.$': '$$.Execution.Name', 'sm.$': '$$.StateMachine.Id' }, Resource: 'arn:aws:lambda:us-east-1:000000000000:function:tillflow-x', End: true } } }], ResultPath: null, Next: 'Bad' },
  Bad: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:000000000000:function:tillflow-bad', Catch: [{ ErrorEquals: ['ValidationError'], ResultPath: '$.error', Next: 'F' }], End: true },
  F: { Type: 'Fail', Error: 'UploadFailed', Cause: 'see alerts' } } };
const t1 = Date.now();
const sm = new StateMachine(def, { validationOptions: { checkArn: true, checkPaths: true } });
console.log('construct', Date.now() - t1);
let n = 0;
const { result } = sm.run({ a: 1 }, { context: { Execution: { Id: 'arn:x', Name: 'n1' }, StateMachine: { Id: 'arn:sm', Name: 'sm' } }, overrides: { taskResourceLocalHandlers: {
  A: async (i) => { if (n++ === 0) { const e = new Error('boom'); e.name = 'TransientError'; throw e; } return { ...i, a: 2 }; },
  B: async (i) => { console.log('B got', JSON.stringify(i)); return { Payload: { b: 1 }, StatusCode: 200 }; },
  C: async (i) => { console.log('C got', JSON.stringify(i)); return i; },
  Bad: async (i) => { const e = new Error(JSON.stringify({ errorType: 'ValidationError', errorMessage: 'bad' })); e.name = 'ValidationError'; throw e; },
} } });
try { console.log(await result); } catch (e) { console.log('FAILED', e.name, e.message, e.cause?.name, e.cause?.message); }
console.log('total', Date.now() - t1, n);
