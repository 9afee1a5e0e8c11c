import { getObject, headObject } from '@tillflow/aws';
import { NotFoundError, type ReportResponse, reportKeys } from '@tillflow/core';

/**
 * The day's report as generate-report kept it under `reports/` (the text sent to the report topic and its HTML
 * form): a 404 when the day has none (not analysed, or its report not written yet).
 */
export async function readReport(bucket: string, date: string): Promise<ReportResponse> {
  const keys = reportKeys(date);
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  try {
    const [text, html, head] = await Promise.all([
      getObject(bucket, keys.text),
      getObject(bucket, keys.html),
      headObject(bucket, keys.text),
    ]);
    return {
      date,
      text: decode(text.body),
      html: decode(html.body),
      text_key: keys.text,
      html_key: keys.html,
      last_modified: head.lastModified,
    };
  } catch (error) {
    if (error instanceof NotFoundError) throw new NotFoundError(`${date} has no report`);
    throw error;
  }
}
