import { type PublicationLease, publishOnce, putJson, putObject, readFactsAndInsights } from '@tillflow/aws';
import type { StoreSummary } from '@tillflow/core';
import { DATASETS, type DatasetName, datasetKey, exportRows, manifest, manifestKey, toNdjson } from './datasets';
import type { ExportEvent } from './event';

export interface ExportedDataset {
  dataset: DatasetName;
  key: string;
  rows: number;
}

/**
 * What the step did: exported the day's datasets, or nothing because this revision's export (or a later one's) is
 * already out (see `publishOnce` in packages/aws/src/publications.ts): a re-run rewrites no file, so BI refreshes
 * watching `quicksight/` see one export per revision.
 */
export type ExportResult =
  | { status: 'exported'; datasets: ExportedDataset[] }
  | { status: 'skipped'; datasets: []; reason: 'published' | 'superseded'; revision: number };

/** The day's export, once per date and revision, under a claim on the day status ({@link writeDatasets}). */
export async function exportToQuickSight(
  bucket: string,
  event: ExportEvent,
  lease: PublicationLease,
): Promise<ExportResult> {
  const done = await publishOnce(lease, event, 'export', () => writeDatasets(bucket, event));
  return done.status === 'published'
    ? { status: 'exported', datasets: done.value }
    : { status: 'skipped', datasets: [], reason: done.reason, revision: done.revision };
}

/** Writes the day's file of every dataset (empty ones too, so a re-analysis clears what no longer holds) and manifests. */
async function writeDatasets(bucket: string, event: ExportEvent): Promise<ExportedDataset[]> {
  const { facts, insights } = await readFactsAndInsights(bucket, event);
  const rows = exportRows({
    date: event.date,
    revision: event.revision,
    stores: facts.stores as StoreSummary[],
    products: facts.products.find((p) => p.date === event.date),
    insights,
  });
  return Promise.all(
    DATASETS.map(async (dataset) => {
      const key = datasetKey(dataset, event.date);
      await Promise.all([
        putObject(bucket, key, toNdjson(rows[dataset]), 'application/x-ndjson'),
        putJson(bucket, manifestKey(dataset), manifest(bucket, dataset)),
      ]);
      return { dataset, key, rows: rows[dataset].length };
    }),
  );
}
