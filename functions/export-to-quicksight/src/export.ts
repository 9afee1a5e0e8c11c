import { putJson, putObject, readFactsAndInsights } from '@tillflow/aws';
import type { StoreSummary } from '@tillflow/core';
import { DATASETS, type DatasetName, datasetKey, exportRows, manifest, manifestKey, toNdjson } from './datasets';
import type { ExportEvent } from './event';

export interface ExportedDataset {
  dataset: DatasetName;
  key: string;
  rows: number;
}

/** Writes the day's file of every dataset (empty ones too, so a re-analysis clears what no longer holds) and manifests. */
export async function exportToQuickSight(bucket: string, event: ExportEvent): Promise<ExportedDataset[]> {
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
