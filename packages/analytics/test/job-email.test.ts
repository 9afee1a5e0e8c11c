import { describe, expect, it } from 'vitest';
import { EMAIL_ROWS, type JobView, renderJobEmail } from '../src/index';

const base: JobView = {
  job_id: '6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b',
  operation: 'product_affinity',
  parameters: { from: '2025-10-01', to: '2025-10-30' },
  status: 'SUCCEEDED',
  requester: 'ana@example.com',
  engine: 'duckdb',
  created_at: '2025-11-01T08:00:00.000Z',
  finished_at: '2025-11-01T08:00:02.000Z',
};

describe('the email of an ended job', () => {
  it('shows the head of the result, escaped, and says where the rest is', () => {
    const rows = Array.from({ length: 25 }, (_, i) => ({ name_a: `Bread <b>${i}</b> & "jam"`, lift: 1 + i / 10 }));
    const view: JobView = {
      ...base,
      row_count: 25,
      result: {
        columns: [
          { name: 'name_a', kind: 'text' },
          { name: 'lift', kind: 'number' },
        ],
        rows,
      },
    };
    const email = renderJobEmail(view, `/analytics/jobs/${base.job_id}`);
    expect(email.subject).toBe(`Tillflow analytics job product_affinity succeeded (${base.job_id})`);
    expect(email.html).not.toContain('<b>');
    expect(email.html).toContain('<td>Bread &#60;b&#62;0&#60;/b&#62; &#38; &#34;jam&#34;</td><td>1</td>');
    expect(email.html.match(/<td>Bread/g)).toHaveLength(EMAIL_ROWS);
    expect(email.text).toContain(`The first ${EMAIL_ROWS} of 25 rows; all of them at /analytics/jobs/${base.job_id}.`);
    expect(email.text).toContain('Bread <b>9</b> & "jam"\t1.9');
    expect(email.text).not.toContain('Bread <b>10</b>');
  });

  it('gives a failed job its error and reason, and no rows', () => {
    const view: JobView = {
      ...base,
      status: 'FAILED',
      error: { name: 'States.Timeout', message: 'Task timed out after 660.00 seconds' },
    };
    const email = renderJobEmail(view, '/analytics/jobs/x');
    expect(email.subject).toContain('failed');
    expect(email.text).toContain('Error: States.Timeout\nReason: Task timed out after 660.00 seconds');
    expect(email.html).not.toContain('border-collapse');
    expect(email.text).not.toContain('Rows:');
  });
});
