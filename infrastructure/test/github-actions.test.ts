import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { WORKFLOWS_DIR } from './terraform';

/** Schema errors of a workflow as GitHub's own parser (the one behind the Actions editor) reports them. */
function schemaErrors(name: string, content: string): string[] {
  const result = parseWorkflow({ name, content }, new NoOperationTraceWriter());
  return result.context.errors.getErrors().map((e) => e.message);
}

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  needs?: string | string[];
  if?: string;
  environment?: string;
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}

function load(file: string): { text: string; workflow: Workflow } {
  const text = readFileSync(join(WORKFLOWS_DIR, file), 'utf8');
  return { text, workflow: parse(text) as Workflow };
}

function step(job: Job, predicate: (s: Step) => boolean, what: string): Step {
  const found = job.steps.find(predicate);
  if (!found) throw new Error(`no step ${what}`);
  return found;
}

const runs = (command: string) => (s: Step) => typeof s.run === 'string' && s.run.includes(command);
const uses = (action: string) => (s: Step) => s.uses?.startsWith(`${action}@`) === true;

describe('GitHub Actions workflows', () => {
  it('validate against the workflow schema', () => {
    for (const file of ['ci.yml', 'deploy.yml']) {
      expect(schemaErrors(file, load(file).text), file).toEqual([]);
    }
  });

  it('are checked by a validator that does reject a broken workflow', () => {
    const { text } = load('ci.yml');
    const broken = text.replace('runs-on: ubuntu-latest', 'runs_on: ubuntu-latest');
    expect(broken).not.toBe(text);
    expect(schemaErrors('ci.yml', broken).join('\n')).toMatch(/runs_on|runs-on/);
    expect(schemaErrors('bad.yml', 'on: pushed\njobs: {}\n').length).toBeGreaterThan(0);
  });

  it('ci installs with the npm cache, runs the turbo tasks and uploads the zips', () => {
    const { workflow } = load('ci.yml');
    const build = workflow.jobs.build as Job;
    const node = step(build, uses('actions/setup-node'), 'setup-node');
    expect(node.with).toMatchObject({ 'node-version': 24, cache: 'npm' });
    expect(build.steps.findIndex(runs('npm ci'))).toBeLessThan(
      build.steps.findIndex(runs('turbo run lint typecheck test package')),
    );
    const upload = step(build, uses('actions/upload-artifact'), 'upload-artifact');
    expect(upload.with?.path).toBe('dist/functions/*.zip');
  });

  it('ci checks the Terraform: fmt, init without backend, validate and tflint, on the built zips', () => {
    const { workflow } = load('ci.yml');
    const terraform = workflow.jobs.terraform as Job;
    expect(terraform.needs).toBe('build');
    const order = [
      uses('actions/download-artifact'),
      uses('hashicorp/setup-terraform'),
      runs('terraform fmt -check -recursive'),
      runs('terraform init -backend=false'),
      runs('terraform validate'),
      uses('terraform-linters/setup-tflint'),
      runs('tflint --init'),
      runs('tflint --format'),
    ].map((p) => terraform.steps.findIndex(p));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('deploy runs on manual dispatch, assumes a role through OIDC, plans, then applies behind an environment', () => {
    const { workflow } = load('deploy.yml');
    expect(Object.keys(workflow.on)).toEqual(['workflow_dispatch']);
    expect(workflow.permissions).toMatchObject({ 'id-token': 'write', contents: 'read' });
    const plan = workflow.jobs.plan as Job;
    const apply = workflow.jobs.apply as Job;
    for (const job of [plan, apply]) {
      const credentials = step(job, uses('aws-actions/configure-aws-credentials'), 'configure-aws-credentials');
      expect(credentials.with?.['role-to-assume']).toBe('${{ secrets.AWS_DEPLOY_ROLE_ARN }}');
      expect(job.steps.findIndex(runs('terraform init'))).toBeGreaterThan(-1);
    }
    expect(plan.steps.findIndex(runs('turbo run package'))).toBeLessThan(plan.steps.findIndex(runs('terraform plan')));
    expect(step(plan, runs('terraform plan'), 'plan').run).toContain('-out=tfplan');
    expect(apply.needs).toBe('plan');
    expect(apply.environment).toBe('production');
    expect(step(apply, runs('terraform apply'), 'apply').run).toContain('tfplan');
  });
});
