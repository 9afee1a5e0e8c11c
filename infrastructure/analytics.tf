# SQL over the lake: a Glue table over processed/sales/ whose partitions Athena computes from the table's
# projection (no crawler, no MSCK REPAIR), and a workgroup that keeps its results in the data bucket.

resource "aws_glue_catalog_database" "lake" {
  name        = replace("${var.project_name}_lake", "-", "_")
  description = "Tillflow sales lake (processed Parquet)."
}

resource "aws_glue_catalog_table" "sales" {
  name          = "sales"
  database_name = aws_glue_catalog_database.lake.name
  description   = "One row per accepted line item (the canonical row of @tillflow/core), partitioned by business date and store."
  table_type    = "EXTERNAL_TABLE"

  parameters = {
    EXTERNAL                        = "TRUE"
    classification                  = "parquet"
    "projection.enabled"            = "true"
    "projection.date.type"          = "date"
    "projection.date.format"        = "yyyy-MM-dd"
    "projection.date.range"         = "2020-01-01,NOW"
    "projection.date.interval"      = "1"
    "projection.date.interval.unit" = "DAYS"
    "projection.store.type"         = "enum"
    "projection.store.values"       = join(",", var.expected_stores)
    "storage.location.template"     = "s3://${aws_s3_bucket.data.bucket}/processed/sales/date=$${date}/store=$${store}/"
  }

  partition_keys {
    name = "date"
    type = "string"
  }

  partition_keys {
    name = "store"
    type = "string"
  }

  storage_descriptor {
    location      = "s3://${aws_s3_bucket.data.bucket}/processed/sales/"
    input_format  = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat"
    output_format = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat"

    ser_de_info {
      serialization_library = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"
    }

    # Types as packages/columnar writes them (arrow-schema.ts): the instant is a UTC TIMESTAMP(MILLIS), money INT64.
    dynamic "columns" {
      for_each = concat(local.lake_columns, local.marketplace_columns)

      content {
        name = columns.value.name
        type = columns.value.type
      }
    }
  }
}

locals {
  # The canonical row's fields in file order (packages/core/src/canonical-row.schema.ts); the test keeps them in step.
  lake_columns = [
    { name = "store_id", type = "string" },
    { name = "business_date", type = "string" },
    { name = "transaction_id", type = "string" },
    { name = "timestamp_ms", type = "timestamp" },
    { name = "utc_offset_minutes", type = "smallint" },
    { name = "item_sku", type = "string" },
    { name = "item_name", type = "string" },
    { name = "quantity", type = "int" },
    { name = "unit_price_cents", type = "bigint" },
    { name = "line_total_cents", type = "bigint" },
    { name = "discount_cents", type = "bigint" },
    { name = "payment_method", type = "string" },
    { name = "customer_id", type = "string" },
  ]

  # The marketplace order report's own columns (shared/DESIGN.md, Input formats 2), NULL in a store file's rows: Athena
  # reads Parquet by column name, so a file without them reads as NULL, as DuckDB's table does (SALES_TABLE_DDL in
  # packages/analytics/src/duckdb-engine.ts).
  marketplace_columns = [
    { name = "status", type = "string" },
    { name = "fulfilment", type = "string" },
    { name = "channel", type = "string" },
    { name = "ship_state", type = "string" },
    { name = "category", type = "string" },
    { name = "b2b", type = "boolean" },
  ]
}

resource "aws_athena_workgroup" "lake" {
  name          = var.project_name
  description   = "Queries over the Tillflow lake."
  force_destroy = true

  configuration {
    enforce_workgroup_configuration    = true
    publish_cloudwatch_metrics_enabled = true
    # A guard against an accidental full scan: 10 GB is far beyond a month of Parquet at this scale.
    bytes_scanned_cutoff_per_query = 10737418240

    result_configuration {
      output_location = "s3://${aws_s3_bucket.data.bucket}/athena-results/"

      encryption_configuration {
        encryption_option = var.kms_key_arn == null ? "SSE_S3" : "SSE_KMS"
        kms_key_arn       = var.kms_key_arn
      }
    }
  }
}

# The analytics operations in Athena's dialect, with their default parameters, as saved queries of the workgroup: an
# operator runs one in the console, which asks for the `?` values (from, to, then the operation's own, in the order the
# file's header lists). Generated from @tillflow/analytics (packages/analytics/test/named-queries.test.ts keeps them in
# step); the job functions build their statements themselves.
resource "aws_athena_named_query" "operation" {
  for_each    = fileset("${path.module}/athena", "*.sql")
  name        = "${var.project_name}-${trimsuffix(each.value, ".sql")}"
  description = "Tillflow analytics operation ${trimsuffix(each.value, ".sql")} (docs/operations.md, Analytics jobs)."
  workgroup   = aws_athena_workgroup.lake.id
  database    = aws_glue_catalog_database.lake.name
  query       = file("${path.module}/athena/${each.value}")
}
