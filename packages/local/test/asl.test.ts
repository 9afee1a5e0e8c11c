import { describe, expect, it } from 'vitest';
import { functionNameOf } from '../src/resources';
import { type AslDefinition, fillTemplate, unsupportedFeatures, walkStates } from '../src/servers/asl';
import { templateVariables } from '../src/servers/step-functions';

// The strings below hold templatefile() placeholders, not JavaScript templates.
const $ = (name: string): string => `\${${name}}`;

describe('fillTemplate', () => {
  const vars = templateVariables({
    functionNames: ['process-upload', 'check-all-stores'],
    machineNames: ['daily-analysis'],
    alertsTopicArn: 'arn:aws:sns:us-east-1:000000000000:tillflow-alerts',
    reportTopicArn: 'arn:aws:sns:us-east-1:000000000000:tillflow-daily-report',
    jobsTopicArn: 'arn:aws:sns:us-east-1:000000000000:tillflow-analytics-jobs',
    bucketName: 'tillflow-local',
    salesTable: 'tillflow-sales',
    idempotencyTable: 'tillflow-idempotency',
  });

  it('fills function, state machine and topic ARNs as templatefile() does', () => {
    const text = `{"a":"${$('process_upload_arn')}","b":"${$(' daily_analysis_state_machine_arn ')}","c":"${$('alerts_topic_arn')}"}`;
    expect(JSON.parse(fillTemplate(text, vars, 'x.asl.json'))).toEqual({
      a: 'arn:aws:lambda:us-east-1:000000000000:function:tillflow-process-upload',
      b: 'arn:aws:states:us-east-1:000000000000:stateMachine:tillflow-daily-analysis',
      c: 'arn:aws:sns:us-east-1:000000000000:tillflow-alerts',
    });
  });

  it('keeps $${ and %%{ as literals and leaves JSONPath alone', () => {
    expect(fillTemplate(`"$${$('x')}" "%%{y}" "$.detail" "States.Format('{}', $.a)"`, vars, 'x')).toBe(
      `"${$('x')}" "%{y}" "$.detail" "States.Format('{}', $.a)"`,
    );
  });

  it('names a placeholder without a value, and refuses expressions and directives', () => {
    expect(() => fillTemplate(`"${$('write_metrics_arn')}"`, vars, 'up.asl.json')).toThrow(
      /up\.asl\.json: no value for the placeholder \$\{write_metrics_arn\}/,
    );
    expect(() => fillTemplate(`"${$('upper(x)')}"`, vars, 'x')).toThrow(/not a plain variable name/);
    expect(() => fillTemplate('"%{ if x }"', vars, 'x')).toThrow(/directives/);
  });
});

describe('walkStates', () => {
  it('finds Tasks inside Parallel branches and Map iterators and item processors', () => {
    const definition: AslDefinition = {
      StartAt: 'A',
      States: {
        A: { Type: 'Task', Resource: 'r1', Next: 'P' },
        P: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'B', States: { B: { Type: 'Task', Resource: 'r2' } } },
            {
              StartAt: 'M',
              States: {
                M: { Type: 'Map', ItemProcessor: { StartAt: 'C', States: { C: { Type: 'Task', Resource: 'r3' } } } },
              },
            },
          ],
          Next: 'N',
        },
        N: { Type: 'Map', Iterator: { StartAt: 'D', States: { D: { Type: 'Task', Resource: 'r4' } } } },
      },
    };
    expect(
      walkStates(definition)
        .filter((s) => s.state.Type === 'Task')
        .map((s) => s.path),
    ).toEqual(['A', 'P/Branches[0]/B', 'P/Branches[1]/M/ItemProcessor/C', 'N/Iterator/D']);
  });
});

describe('unsupportedFeatures', () => {
  it('flags what the local interpreter would ignore silently', () => {
    const definition: AslDefinition = {
      QueryLanguage: 'JSONata',
      StartAt: 'A',
      States: {
        A: { Type: 'Pass', Assign: { x: 1 }, Next: 'M' },
        M: {
          Type: 'Map',
          ItemReader: {},
          ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED' }, StartAt: 'B', States: {} },
        },
      },
    } as unknown as AslDefinition;
    expect(unsupportedFeatures(definition)).toEqual([
      'QueryLanguage JSONata (only JSONPath runs locally)',
      'A: Assign (variables)',
      'M: ItemReader (Distributed Map)',
      'M: Distributed Map',
    ]);
    expect(unsupportedFeatures({ StartAt: 'A', States: { A: { Type: 'Pass', End: true } } })).toEqual([]);
  });
});

describe('functionNameOf', () => {
  it("reads this project's function from a name or an ARN, with or without a qualifier", () => {
    expect(functionNameOf('arn:aws:lambda:us-east-1:000000000000:function:tillflow-process-upload')).toBe(
      'process-upload',
    );
    expect(functionNameOf('arn:aws:lambda:us-east-1:000000000000:function:tillflow-x:$LATEST')).toBe('x');
    expect(functionNameOf('tillflow-write-metrics')).toBe('write-metrics');
    expect(functionNameOf('arn:aws:lambda:us-east-1:000000000000:function:other-x')).toBeUndefined();
  });
});
