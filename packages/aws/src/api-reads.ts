import {
  type CompanyDayFigures,
  companyMetricsKey,
  dateSortKey,
  insightsKey,
  type ProductDayFigures,
  productMetricsKey,
  type StoreSummary,
  storeIndexKey,
  storeSummaryKey,
  type TableKey,
} from '@tillflow/core';
import type { DailyInsights } from '@tillflow/insights';
import { documentClient, dynamoClient, isConditionalCheckFailed } from './clients/dynamodb';
import { getDayStatus } from './sales-table';
import { queryAll } from './table-query';

/** Attributes the table adds to an item; not part of the figures. */
const BOOKKEEPING = ['PK', 'SK', 'GSI1PK', 'GSI1SK', 'entity', 'updated_at', 'source_sequencer'];

function strip<T>(item: Record<string, unknown>): T {
  const body = { ...item };
  for (const name of BOOKKEEPING) delete body[name];
  return body as T;
}

/** One item by its table key (an indexed key's GSI attributes left out: GetItem takes the table's key only). */
async function getItem(table: string, { PK, SK }: TableKey): Promise<Record<string, unknown> | undefined> {
  const [{ GetCommand }, documents] = await Promise.all([import('@aws-sdk/lib-dynamodb'), documentClient()]);
  const out = await documents.send(new GetCommand({ TableName: table, Key: { PK, SK } }));
  return out.Item as Record<string, unknown> | undefined;
}

/** A figure item with the revision of the analysis that wrote it. */
export type Revisioned<T> = T & { analysis_revision: number };

/** Everything stored about one analysed day, read in parallel; `company` is undefined when the day was never analysed. */
export interface AnalysedDay {
  company: Revisioned<CompanyDayFigures> | undefined;
  products: ProductDayFigures | undefined;
  insights: DailyInsights | undefined;
  stores: StoreSummary[];
  status: Awaited<ReturnType<typeof getDayStatus>>;
}

/** The company, product and insight items of a date, its store summaries (GSI1) and its day status. */
export async function readAnalysedDay(table: string, date: string): Promise<AnalysedDay> {
  const [company, products, insights, stores, status] = await Promise.all([
    getItem(table, companyMetricsKey(date)),
    getItem(table, productMetricsKey(date)),
    getItem(table, insightsKey(date)),
    queryAll({
      TableName: table,
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :date AND begins_with(GSI1SK, :store)',
      ExpressionAttributeValues: { ':date': dateSortKey(date), ':store': 'STORE#' },
    }),
    getDayStatus(table, date),
  ]);
  return {
    company: company
      ? { ...strip<CompanyDayFigures>(company), analysis_revision: Number(company.analysis_revision ?? 1) }
      : undefined,
    products: products ? strip<ProductDayFigures>(products) : undefined,
    insights: insights ? strip<DailyInsights>(insights) : undefined,
    stores: stores.map((s) => strip<StoreSummary>(s)),
    status,
  };
}

/** An analysed day as `GET /dates` lists it. */
export interface AnalysedDate {
  date: string;
  stores_reported: number;
  stores_expected: number;
  analysis_revision: number;
}

/**
 * Every analysed day, newest first: one Query of the `COMPANY` partition (each analysis writes its company item
 * there), projected to the few attributes a listing needs, so no figures travel.
 */
export async function queryAnalysedDates(table: string): Promise<AnalysedDate[]> {
  const items = await queryAll({
    TableName: table,
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :date)',
    ExpressionAttributeValues: { ':pk': companyMetricsKey('').PK, ':date': 'DATE#' },
    ProjectionExpression: '#date, stores_reported, stores_expected, analysis_revision',
    ExpressionAttributeNames: { '#date': 'date' },
    ScanIndexForward: false,
  });
  return items.map((item) => ({
    date: String(item.date),
    stores_reported: Number(item.stores_reported ?? 0),
    stores_expected: Number(item.stores_expected ?? 0),
    analysis_revision: Number(item.analysis_revision ?? 1),
  }));
}

function queryRange(table: string, pk: string, from: string, to: string, projection?: string) {
  return queryAll({
    TableName: table,
    KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
    ExpressionAttributeValues: { ':pk': pk, ':from': dateSortKey(from), ':to': dateSortKey(to) },
    ...(projection ? { ProjectionExpression: projection } : {}),
  });
}

/** A day's net sales and transactions, as a trend series needs them. */
export interface DayFigures {
  date: string;
  net_sales: number;
  transactions: number;
}

const SERIES_PROJECTION = 'SK, net_sales, transactions';

function toDayFigures(item: Record<string, unknown>): DayFigures {
  return {
    date: String(item.SK).slice('DATE#'.length),
    net_sales: Number(item.net_sales ?? 0),
    transactions: Number(item.transactions ?? 0),
  };
}

/** The company's net sales and transactions of the analysed days from `from` to `to` (inclusive), oldest first. */
export async function queryCompanySeries(table: string, from: string, to: string): Promise<DayFigures[]> {
  const items = await queryRange(table, companyMetricsKey(from).PK, from, to, SERIES_PROJECTION);
  return items.map(toDayFigures);
}

/** One store's net sales and transactions of the days it reported from `from` to `to` (inclusive), oldest first. */
export async function queryStoreSeries(
  table: string,
  storeId: string,
  from: string,
  to: string,
): Promise<DayFigures[]> {
  const items = await queryRange(table, storeSummaryKey({ storeId, date: from }).PK, from, to, SERIES_PROJECTION);
  return items.map(toDayFigures);
}

/** The product figures of the analysed days from `from` to `to` (inclusive), oldest first. */
export async function queryProductDays(table: string, from: string, to: string): Promise<ProductDayFigures[]> {
  const items = await queryRange(table, productMetricsKey(from).PK, from, to);
  return items.map((item) => strip<ProductDayFigures>(item));
}

/** A store of the store index. */
export interface IndexedStore {
  store_id: string;
  name: string | null;
  last_reported_date: string;
}

/** Every store of the store index (`STORES` partition), ascending by id. */
export async function queryStoreIndex(table: string): Promise<IndexedStore[]> {
  const items = await queryAll({
    TableName: table,
    KeyConditionExpression: 'PK = :pk',
    ExpressionAttributeValues: { ':pk': storeIndexKey('').PK },
  });
  return items.map((item) => ({
    store_id: String(item.store_id),
    name: typeof item.name === 'string' ? item.name : null,
    last_reported_date: String(item.last_reported_date),
  }));
}

/**
 * The latest day a store has figures for, from its own partition (newest item first, one item): for a store the
 * index does not hold yet (figures written before the index existed). Undefined when it has none.
 */
export async function queryLastReportedDate(table: string, storeId: string): Promise<string | undefined> {
  const [{ QueryCommand }, documents] = await Promise.all([import('@aws-sdk/lib-dynamodb'), documentClient()]);
  const out = await documents.send(
    new QueryCommand({
      TableName: table,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :date)',
      ExpressionAttributeValues: { ':pk': storeSummaryKey({ storeId, date: '' }).PK, ':date': 'DATE#' },
      ProjectionExpression: 'SK',
      ScanIndexForward: false,
      Limit: 1,
    }),
  );
  const sk = out.Items?.[0]?.SK;
  return typeof sk === 'string' ? sk.slice('DATE#'.length) : undefined;
}

/**
 * Records in the store index that the store has figures for `date`. The write is conditional on the date being
 * later than the one stored, so that an older day uploaded late does not move the last reported day back; returns
 * false when it did not.
 */
export async function recordStoreInIndex(table: string, storeId: string, date: string): Promise<boolean> {
  const [{ UpdateCommand }, documents] = await Promise.all([import('@aws-sdk/lib-dynamodb'), documentClient()]);
  try {
    await documents.send(
      new UpdateCommand({
        TableName: table,
        Key: storeIndexKey(storeId),
        UpdateExpression: 'SET store_id = :id, last_reported_date = :date, entity = :entity',
        ConditionExpression: 'attribute_not_exists(last_reported_date) OR last_reported_date < :date',
        ExpressionAttributeValues: { ':id': storeId, ':date': date, ':entity': 'STORE_INDEX' },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return false;
    throw error;
  }
}

/** Whether the table answers (DescribeTable, ACTIVE): what `GET /health` reports. Throws when it does not. */
export async function describeTableStatus(table: string): Promise<string> {
  const [{ DescribeTableCommand }, client] = await Promise.all([import('@aws-sdk/client-dynamodb'), dynamoClient()]);
  const out = await client.send(new DescribeTableCommand({ TableName: table }));
  return out.Table?.TableStatus ?? 'UNKNOWN';
}
