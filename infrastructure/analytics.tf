# SQL over the lake: Glue tables over processed/sales/ (store line items) and processed/marketplace/ (marketplace order
# lines, a schema of their own) whose partitions Athena computes from each table's projection (no crawler, no MSCK
# REPAIR), and a workgroup that keeps its results in the data bucket.

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
      for_each = local.lake_columns

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

  # The marketplace lake's columns (packages/columnar/src/marketplace-parquet.ts, MARKETPLACE_FIELDS) but `channel`,
  # which is the table's partition column (the files carry it too, with the same value); the test keeps them in step
  # with the DuckDB table (MARKETPLACE_TABLE_DDL in packages/analytics/src/duckdb-engine.ts).
  marketplace_columns = [
    { name = "order_id", type = "string" },
    { name = "business_date", type = "string" },
    { name = "status", type = "string" },
    { name = "status_class", type = "string" },
    { name = "fulfilment", type = "string" },
    { name = "sales_channel", type = "string" },
    { name = "ship_service_level", type = "string" },
    { name = "style", type = "string" },
    { name = "sku", type = "string" },
    { name = "category", type = "string" },
    { name = "size", type = "string" },
    { name = "asin", type = "string" },
    { name = "courier_status", type = "string" },
    { name = "quantity", type = "int" },
    { name = "currency", type = "string" },
    { name = "amount_cents", type = "bigint" },
    { name = "ship_city", type = "string" },
    { name = "ship_state", type = "string" },
    { name = "ship_postal_code", type = "string" },
    { name = "ship_country", type = "string" },
    { name = "promotion_ids", type = "string" },
    { name = "b2b", type = "boolean" },
    { name = "fulfilled_by", type = "string" },
  ]
}

resource "aws_glue_catalog_table" "marketplace" {
  name          = "marketplace"
  database_name = aws_glue_catalog_database.lake.name
  description   = "One row per accepted marketplace order line (MarketplaceRow of @tillflow/core), partitioned by channel and order date."
  table_type    = "EXTERNAL_TABLE"

  parameters = {
    EXTERNAL                        = "TRUE"
    classification                  = "parquet"
    "projection.enabled"            = "true"
    "projection.channel.type"       = "enum"
    "projection.channel.values"     = join(",", var.marketplace_channels)
    "projection.date.type"          = "date"
    "projection.date.format"        = "yyyy-MM-dd"
    "projection.date.range"         = "2020-01-01,NOW"
    "projection.date.interval"      = "1"
    "projection.date.interval.unit" = "DAYS"
    "storage.location.template"     = "s3://${aws_s3_bucket.data.bucket}/processed/marketplace/channel=$${channel}/date=$${date}/"
  }

  partition_keys {
    name = "channel"
    type = "string"
  }

  partition_keys {
    name = "date"
    type = "string"
  }

  storage_descriptor {
    location      = "s3://${aws_s3_bucket.data.bucket}/processed/marketplace/"
    input_format  = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat"
    output_format = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat"

    ser_de_info {
      serialization_library = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"
    }

    dynamic "columns" {
      for_each = local.marketplace_columns

      content {
        name = columns.value.name
        type = columns.value.type
      }
    }
  }
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
