locals {
  account_id      = data.aws_caller_identity.current.account_id
  partition       = data.aws_partition.current.partition
  bucket_name     = coalesce(var.bucket_name, "${var.project_name}-data-${local.account_id}")
  bucket_arn      = aws_s3_bucket.data.arn
  sales_table_arn = aws_dynamodb_table.sales.arn
  package_dir     = "${path.module}/../dist/functions"

  # Built from the name rather than taken from aws_sfn_state_machine: the state machine's definition needs every
  # function's ARN, and check-all-stores and trigger-daily-analysis need this ARN, so a reference would be a cycle.
  daily_analysis_state_machine_name = "${var.project_name}-daily-analysis"
  daily_analysis_state_machine_arn  = "arn:${local.partition}:states:${var.aws_region}:${local.account_id}:stateMachine:${local.daily_analysis_state_machine_name}"

  expected_stores_csv = join(",", var.expected_stores)
  # The API functions' CORS_ALLOWED_ORIGINS: what API Gateway's CORS configuration allows (api.tf).
  cors_origins_csv = join(",", local.cors_origins)

  # Built from the name for the same reason: start-analytics-job and query-analytics start this state machine.
  analytics_job_state_machine_name = "${var.project_name}-analytics-job"
  analytics_job_state_machine_arn  = "arn:${local.partition}:states:${var.aws_region}:${local.account_id}:stateMachine:${local.analytics_job_state_machine_name}"
  athena_workgroup_arn             = "arn:${local.partition}:athena:${var.aws_region}:${local.account_id}:workgroup/${var.project_name}"
  athena_enabled                   = var.analytics_engine == "athena"

  # A geo-prefixed id (us., eu., apac., global.) names a cross-region inference profile, which Bedrock authorises on
  # the profile and on the foundation model in every region the profile may route to.
  bedrock_profile_prefix       = try(regex("^(us|us-gov|eu|apac|global)\\.", var.bedrock_model_id)[0], null)
  bedrock_model_name           = local.bedrock_profile_prefix == null ? var.bedrock_model_id : trimprefix(var.bedrock_model_id, "${local.bedrock_profile_prefix}.")
  bedrock_foundation_model_arn = "arn:${local.partition}:bedrock:${var.aws_region}::foundation-model/${local.bedrock_model_name}"
  bedrock_profile_arns = [
    "arn:${local.partition}:bedrock:${var.aws_region}:${local.account_id}:inference-profile/${var.bedrock_model_id}",
    "arn:${local.partition}:bedrock:*::foundation-model/${local.bedrock_model_name}",
  ]
  bedrock_model_arns = local.bedrock_profile_prefix == null ? [local.bedrock_foundation_model_arn] : local.bedrock_profile_arns

  # Environment every function receives; a function's own map (below) adds to it.
  common_environment = {
    POWERTOOLS_SERVICE_NAME      = "tillflow"
    POWERTOOLS_LOG_LEVEL         = var.log_level
    POWERTOOLS_METRICS_NAMESPACE = var.metrics_namespace
    BUCKET_NAME                  = aws_s3_bucket.data.bucket
    SALES_TABLE                  = aws_dynamodb_table.sales.name
    IDEMPOTENCY_TABLE            = aws_dynamodb_table.idempotency.name
  }

  # IAM statements more than one function needs.
  shared_statements = {
    idempotency = {
      sid       = "IdempotencyRecords"
      actions   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"]
      resources = [aws_dynamodb_table.idempotency.arn]
    }
    read_analysis = {
      sid       = "ReadAnalysis"
      actions   = ["s3:GetObject"]
      resources = ["${local.bucket_arn}/analysis/*"]
    }
    read_write_analysis = {
      sid       = "ReadWriteAnalysis"
      actions   = ["s3:GetObject", "s3:PutObject"]
      resources = ["${local.bucket_arn}/analysis/*"]
    }
    start_daily_analysis = {
      sid       = "StartDailyAnalysis"
      actions   = ["states:StartExecution"]
      resources = [local.daily_analysis_state_machine_arn]
    }
  }

  # Every function, declared once: handler settings, the workflows whose state machine may invoke it, its own
  # environment, and the only IAM statements its role gets (besides writing its own logs and X-Ray traces, added in
  # functions.tf). A statement with `enabled = false` is left out. Each name must be a package under functions/,
  # built by `turbo run package` into dist/functions/<name>.zip (checked by test/functions.test.ts).
  upload_functions = {
    "generate-upload-url" = {
      description     = "API POST /uploads: a presigned PUT for one store file, marketplace report or mapped export under uploads/."
      memory_mb       = 256
      timeout_seconds = 10
      workflows       = []
      environment = {
        UPLOAD_URL_EXPIRES_SECONDS = tostring(var.upload_url_expires_seconds)
        CORS_ALLOWED_ORIGINS       = local.cors_origins_csv
      }
      statements = [
        {
          # Presigning needs no call, but the signed PUT runs with this role's permissions.
          sid       = "PresignUploads"
          actions   = ["s3:PutObject"]
          resources = ["${local.bucket_arn}/uploads/*"]
        },
      ]
    }
    "process-upload" = {
      description     = "Validates an uploaded file as a stream; writes valid rows as Parquet under processed/, rejects under rejected/, returns the figures."
      memory_mb       = 1024
      timeout_seconds = 240
      workflows       = ["upload-processor"]
      environment     = { MAX_UPLOAD_BYTES = tostring(var.max_upload_bytes) }
      statements = [
        {
          # mappings/<source>.json: the column mapping a mapped POS export is read with.
          sid       = "ReadUploadsAndMappings"
          actions   = ["s3:GetObject"]
          resources = ["${local.bucket_arn}/uploads/*", "${local.bucket_arn}/mappings/*"]
        },
        {
          sid       = "WriteProcessedAndRejected"
          actions   = ["s3:PutObject"]
          resources = ["${local.bucket_arn}/processed/*", "${local.bucket_arn}/rejected/*"]
        },
        {
          # A marketplace report's KPI summary, read back on a re-upload to drop the days it no longer has.
          sid       = "MarketplaceSummaries"
          actions   = ["s3:GetObject", "s3:PutObject"]
          resources = ["${local.bucket_arn}/summaries/marketplace/*"]
        },
        {
          sid       = "ReplaceMarketplacePartitions"
          actions   = ["s3:DeleteObject"]
          resources = ["${local.bucket_arn}/processed/marketplace/*"]
        },
        {
          # A corrected re-upload with no invalid line removes the previous rejects of that store-day.
          sid       = "ReplaceRejected"
          actions   = ["s3:DeleteObject"]
          resources = ["${local.bucket_arn}/rejected/*"]
        },
        local.shared_statements.idempotency,
      ]
    }
    "write-metrics" = {
      description     = "Stores a store-day's summary in the sales table, replacing an older upload's figures, and the upload's quality record."
      memory_mb       = 256
      timeout_seconds = 60
      workflows       = ["upload-processor"]
      environment     = {}
      statements = [
        {
          sid       = "WriteStoreSummary"
          actions   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"]
          resources = [local.sales_table_arn]
        },
        local.shared_statements.idempotency,
      ]
    }
    "check-all-stores" = {
      description     = "Records the store as reported and, when every expected store has, claims and starts the day's analysis."
      memory_mb       = 256
      timeout_seconds = 60
      workflows       = ["upload-processor"]
      environment = {
        EXPECTED_STORES                  = local.expected_stores_csv
        DAILY_ANALYSIS_STATE_MACHINE_ARN = local.daily_analysis_state_machine_arn
      }
      statements = [
        {
          sid       = "DayStatus"
          actions   = ["dynamodb:GetItem", "dynamodb:UpdateItem"]
          resources = [local.sales_table_arn]
        },
        local.shared_statements.idempotency,
        local.shared_statements.start_daily_analysis,
      ]
    }
    "notify-failure" = {
      description     = "Publishes a failed step's error to the alerts topic."
      memory_mb       = 256
      timeout_seconds = 30
      workflows       = ["upload-processor", "daily-analysis"]
      environment = {
        ALERTS_TOPIC_ARN = aws_sns_topic.alerts.arn
      }
      statements = [
        {
          sid       = "PublishAlerts"
          actions   = ["sns:Publish"]
          resources = [aws_sns_topic.alerts.arn]
        },
      ]
    }
  }

  # The daily-analysis workflow's functions, and trigger-daily-analysis, which the daily cut-off schedule invokes.
  analysis_functions = {
    "get-store-summaries" = {
      description     = "Gathers the store-day summaries of a business date (GSI1) and their history into the day's facts."
      memory_mb       = 256
      timeout_seconds = 30
      workflows       = ["daily-analysis"]
      environment     = {}
      statements = [
        {
          sid       = "QuerySummaries"
          actions   = ["dynamodb:Query"]
          resources = [local.sales_table_arn, "${local.sales_table_arn}/index/GSI1"]
        },
        {
          # A run started with only a date reads the day's revision, and claims an unclaimed day that has figures.
          sid       = "DayStatus"
          actions   = ["dynamodb:GetItem", "dynamodb:UpdateItem"]
          resources = [local.sales_table_arn]
        },
        {
          sid       = "WriteFacts"
          actions   = ["s3:PutObject"]
          resources = ["${local.bucket_arn}/analysis/*"]
        },
      ]
    }
    "calc-company-metrics" = {
      description     = "Sums the store figures of a date into the company figures."
      memory_mb       = 256
      timeout_seconds = 30
      workflows       = ["daily-analysis"]
      environment = {
        EXPECTED_STORES = local.expected_stores_csv
      }
      statements = [
        {
          sid       = "CompanyMetrics"
          actions   = ["dynamodb:Query", "dynamodb:PutItem"]
          resources = [local.sales_table_arn]
        },
        local.shared_statements.read_write_analysis,
      ]
    }
    "calc-product-metrics" = {
      description     = "Aggregates product figures over every store's Parquet rows of a date, and finds transaction ids in more than one store's file."
      memory_mb       = 1024
      timeout_seconds = 240
      workflows       = ["daily-analysis"]
      environment     = {}
      statements = [
        {
          sid       = "ReadProcessed"
          actions   = ["s3:GetObject"]
          resources = ["${local.bucket_arn}/processed/*"]
        },
        {
          sid       = "ProductMetrics"
          actions   = ["dynamodb:Query", "dynamodb:PutItem"]
          resources = [local.sales_table_arn]
        },
        local.shared_statements.read_write_analysis,
      ]
    }
    "detect-anomalies" = {
      description     = "Flags store-days that depart from their history, from the day's facts."
      memory_mb       = 512
      timeout_seconds = 60
      workflows       = ["daily-analysis"]
      environment     = {}
      statements = [
        local.shared_statements.read_write_analysis,
      ]
    }
    "analyze-trends" = {
      description     = "Computes the trends of the day's facts."
      memory_mb       = 512
      timeout_seconds = 60
      workflows       = ["daily-analysis"]
      environment     = {}
      statements = [
        local.shared_statements.read_write_analysis,
      ]
    }
    "generate-recommendations" = {
      description     = "Writes recommendations from the anomalies and trends (statistical, or Bedrock grounded on them)."
      memory_mb       = 512
      timeout_seconds = 120
      workflows       = ["daily-analysis"]
      environment = {
        INSIGHTS_PROVIDER = var.insights_provider
        BEDROCK_MODEL_ID  = var.bedrock_model_id
      }
      statements = [
        {
          sid       = "InvokeInsightsModel"
          enabled   = var.insights_provider == "bedrock"
          actions   = ["bedrock:InvokeModel"]
          resources = local.bedrock_model_arns
        },
        local.shared_statements.read_write_analysis,
      ]
    }
    "combine-insights" = {
      description     = "Stores the day's insights in the sales table."
      memory_mb       = 256
      timeout_seconds = 30
      workflows       = ["daily-analysis"]
      environment     = {}
      statements = [
        {
          sid       = "WriteInsights"
          actions   = ["dynamodb:PutItem"]
          resources = [local.sales_table_arn]
        },
        local.shared_statements.read_analysis,
      ]
    }
    "generate-report" = {
      description     = "Writes the daily report under reports/, publishes it to the report topic and emails it (SES) to the configured recipients."
      memory_mb       = 256
      timeout_seconds = 60
      workflows       = ["daily-analysis"]
      environment = {
        REPORT_TOPIC_ARN        = aws_sns_topic.report.arn
        EXPECTED_STORES         = local.expected_stores_csv
        REPORT_EMAIL_RECIPIENTS = join(",", var.report_email_recipients)
        REPORT_EMAIL_SENDER     = local.report_email_enabled ? var.report_email_sender : ""
      }
      statements = [
        {
          sid       = "PublishReport"
          actions   = ["sns:Publish"]
          resources = [aws_sns_topic.report.arn]
        },
        {
          # SES v2 SendEmail authorises on the sending identity; the condition pins the From address as well.
          sid       = "EmailReport"
          enabled   = local.report_email_enabled
          actions   = ["ses:SendEmail"]
          resources = [local.report_email_identity_arn]
          conditions = [
            { test = "StringEquals", variable = "ses:FromAddress", values = [local.report_email_enabled ? var.report_email_sender : ""] },
          ]
        },
        local.shared_statements.read_analysis,
        {
          sid       = "WriteReport"
          actions   = ["s3:PutObject"]
          resources = ["${local.bucket_arn}/reports/*"]
        },
        {
          # The day status item's marker of this output: published once per date and revision.
          sid       = "PublicationMarker"
          actions   = ["dynamodb:GetItem", "dynamodb:UpdateItem"]
          resources = [local.sales_table_arn]
        },
        {
          # The day's data-quality items (DAY#<date>: status, uploads, lake finding) for the report's quality section.
          sid       = "ReadDayQuality"
          actions   = ["dynamodb:Query"]
          resources = [local.sales_table_arn]
        },
      ]
    }
    "export-to-quicksight" = {
      description     = "Exports the day's figures as NDJSON and QuickSight manifests under quicksight/."
      memory_mb       = 512
      timeout_seconds = 120
      workflows       = ["daily-analysis"]
      environment     = {}
      statements = [
        {
          sid       = "WriteExports"
          actions   = ["s3:PutObject"]
          resources = ["${local.bucket_arn}/quicksight/*"]
        },
        local.shared_statements.read_analysis,
        {
          # The day status item's marker of this output: published once per date and revision.
          sid       = "PublicationMarker"
          actions   = ["dynamodb:GetItem", "dynamodb:UpdateItem"]
          resources = [local.sales_table_arn]
        },
      ]
    }
    "publish-notice" = {
      description     = "Publishes the day's no-data notice (report topic) or partial-failure alert (alerts topic), once per date and revision."
      memory_mb       = 256
      timeout_seconds = 30
      workflows       = ["daily-analysis"]
      environment = {
        REPORT_TOPIC_ARN = aws_sns_topic.report.arn
        ALERTS_TOPIC_ARN = aws_sns_topic.alerts.arn
      }
      statements = [
        {
          sid       = "PublishNotices"
          actions   = ["sns:Publish"]
          resources = [aws_sns_topic.report.arn, aws_sns_topic.alerts.arn]
        },
        {
          # The day status item's marker of this output: published once per date and revision.
          sid       = "PublicationMarker"
          actions   = ["dynamodb:GetItem", "dynamodb:UpdateItem"]
          resources = [local.sales_table_arn]
        },
      ]
    }
    "trigger-daily-analysis" = {
      description     = "Daily cut-off (EventBridge Scheduler): claims and starts the analysis of days where some stores never reported."
      memory_mb       = 256
      timeout_seconds = 60
      workflows       = []
      environment = {
        DAILY_ANALYSIS_TIMEZONE          = var.daily_analysis_timezone
        EXPECTED_STORES                  = local.expected_stores_csv
        DAILY_ANALYSIS_STATE_MACHINE_ARN = local.daily_analysis_state_machine_arn
      }
      statements = [
        {
          sid       = "ClaimDay"
          actions   = ["dynamodb:GetItem", "dynamodb:UpdateItem"]
          resources = [local.sales_table_arn]
        },
        local.shared_statements.start_daily_analysis,
      ]
    }
  }

  # The API's read functions (GET routes): each reads only, and only what its route shows.
  api_functions = {
    "get-analytics" = {
      description     = "API GET /analytics: a day's KPIs, stores, products, insights and status."
      memory_mb       = 256
      timeout_seconds = 10
      workflows       = []
      environment = {
        DAILY_ANALYSIS_TIMEZONE = var.daily_analysis_timezone
        CORS_ALLOWED_ORIGINS    = local.cors_origins_csv
      }
      statements = [
        {
          sid       = "ReadAnalysedDay"
          actions   = ["dynamodb:GetItem", "dynamodb:Query"]
          resources = [local.sales_table_arn, "${local.sales_table_arn}/index/GSI1"]
        },
      ]
    }
    "get-trends" = {
      description     = "API GET /trends: daily series, moving averages, week over week, product trends."
      memory_mb       = 256
      timeout_seconds = 10
      workflows       = []
      environment = {
        CORS_ALLOWED_ORIGINS = local.cors_origins_csv
      }
      statements = [
        {
          sid       = "QuerySeries"
          actions   = ["dynamodb:Query"]
          resources = [local.sales_table_arn]
        },
      ]
    }
    "list-catalog" = {
      description     = "API GET /stores and GET /dates: the stores and the analysed days, from Queries."
      memory_mb       = 256
      timeout_seconds = 10
      workflows       = []
      environment = {
        EXPECTED_STORES      = local.expected_stores_csv
        CORS_ALLOWED_ORIGINS = local.cors_origins_csv
      }
      statements = [
        {
          sid       = "QueryCatalog"
          actions   = ["dynamodb:Query"]
          resources = [local.sales_table_arn]
        },
      ]
    }
    "list-files" = {
      description     = "API GET /files and GET /files/rejections: uploaded, processed and rejected files, and rejection reasons."
      memory_mb       = 256
      timeout_seconds = 15
      workflows       = []
      environment = {
        CORS_ALLOWED_ORIGINS = local.cors_origins_csv
      }
      statements = [
        {
          sid       = "ListFileFolders"
          actions   = ["s3:ListBucket"]
          resources = [local.bucket_arn]
          conditions = [
            {
              test     = "StringLike"
              variable = "s3:prefix"
              values   = ["uploads/*", "processed/*", "rejected/*"]
            },
          ]
        },
        {
          # HEAD for a rejected file's counts, GET for its reasons.
          sid       = "ReadRejections"
          actions   = ["s3:GetObject"]
          resources = ["${local.bucket_arn}/rejected/*"]
        },
      ]
    }
    "generate-download-url" = {
      description     = "API GET /download-url: a 15-minute presigned GET under processed/, rejected/, reports/ or quicksight/."
      memory_mb       = 256
      timeout_seconds = 10
      workflows       = []
      environment = {
        CORS_ALLOWED_ORIGINS = local.cors_origins_csv
      }
      statements = [
        {
          # The HEAD that checks the key exists, and the presigned GET, which runs with this role's permissions.
          sid     = "ReadDownloads"
          actions = ["s3:GetObject"]
          resources = [
            "${local.bucket_arn}/processed/*",
            "${local.bucket_arn}/rejected/*",
            "${local.bucket_arn}/reports/*",
            "${local.bucket_arn}/quicksight/*",
          ]
        },
      ]
    }
    "get-report" = {
      description     = "API GET /reports/{date}: the day's report as sent, text and HTML."
      memory_mb       = 256
      timeout_seconds = 10
      workflows       = []
      environment = {
        CORS_ALLOWED_ORIGINS = local.cors_origins_csv
      }
      statements = [
        {
          sid       = "ReadReports"
          actions   = ["s3:GetObject"]
          resources = ["${local.bucket_arn}/reports/*"]
        },
      ]
    }
    "get-quality" = {
      description     = "API GET /quality?date=: the day's data quality, from the day's status, upload records and lake finding."
      memory_mb       = 256
      timeout_seconds = 10
      workflows       = []
      environment = {
        EXPECTED_STORES      = local.expected_stores_csv
        CORS_ALLOWED_ORIGINS = local.cors_origins_csv
      }
      statements = [
        {
          sid       = "QueryDayQuality"
          actions   = ["dynamodb:Query"]
          resources = [local.sales_table_arn]
        },
      ]
    }
    "get-marketplace-analytics" = {
      description     = "API GET /analytics/marketplace: a marketplace report's KPIs, from the summary computed at upload; GET /analytics/marketplace/reports: the uploaded reports."
      memory_mb       = 256
      timeout_seconds = 10
      workflows       = []
      environment = {
        CORS_ALLOWED_ORIGINS = local.cors_origins_csv
      }
      statements = [
        {
          sid       = "ReadMarketplaceSummaries"
          actions   = ["s3:GetObject"]
          resources = ["${local.bucket_arn}/summaries/marketplace/*"]
        },
        {
          # GET /analytics/marketplace/reports lists the reports from their uploads.
          sid       = "ListMarketplaceUploads"
          actions   = ["s3:ListBucket"]
          resources = [local.bucket_arn]
          conditions = [
            {
              test     = "StringLike"
              variable = "s3:prefix"
              values   = ["uploads/marketplace/*"]
            },
          ]
        },
      ]
    }
    "get-health" = {
      description     = "API GET /health (bucket and table reachable, version) and GET /openapi.json."
      memory_mb       = 256
      timeout_seconds = 10
      workflows       = []
      environment = {
        CORS_ALLOWED_ORIGINS = local.cors_origins_csv
      }
      statements = [
        {
          # The bucket check lists at most one key under reports/.
          sid       = "ProbeBucket"
          actions   = ["s3:ListBucket"]
          resources = [local.bucket_arn]
          conditions = [
            {
              test     = "StringLike"
              variable = "s3:prefix"
              values   = ["reports/*"]
            },
          ]
        },
        {
          sid       = "DescribeTable"
          actions   = ["dynamodb:DescribeTable"]
          resources = [local.sales_table_arn]
        },
      ]
    }
  }

  # The statements of the analytics functions (run-analytics-job computes; query-analytics lists the range for the
  # cache key and starts the job); those of Athena only when it is the engine.
  analytics_statements = {
    list_lake = {
      # The partitions of a range are listed (their ETags make the lake version of the cache key): the sales lake's,
      # or the marketplace lake's channels and their dates (marketplace_summary).
      sid        = "ListLake"
      actions    = ["s3:ListBucket"]
      resources  = [local.bucket_arn]
      conditions = [{ test = "StringLike", variable = "s3:prefix", values = ["processed/sales/*", "processed/marketplace/*"] }]
    }
    read_lake = {
      sid       = "ReadLake"
      actions   = ["s3:GetObject"]
      resources = ["${local.bucket_arn}/processed/sales/*", "${local.bucket_arn}/processed/marketplace/*"]
    }
    write_results = {
      sid       = "WriteResults"
      actions   = ["s3:PutObject", "s3:GetObject"]
      resources = ["${local.bucket_arn}/jobs/*"]
    }
    jobs_and_cache = {
      # JOB#<id> / JOB records and CACHE#<hash> / RESULT entries.
      sid       = "JobsAndCache"
      actions   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"]
      resources = [local.sales_table_arn]
    }
    athena_queries = {
      sid       = "AthenaQueries"
      enabled   = local.athena_enabled
      actions   = ["athena:StartQueryExecution", "athena:GetQueryExecution", "athena:GetQueryResults", "athena:StopQueryExecution"]
      resources = [local.athena_workgroup_arn]
    }
    athena_catalog = {
      sid     = "AthenaCatalog"
      enabled = local.athena_enabled
      actions = ["glue:GetDatabase", "glue:GetTable", "glue:GetPartitions"]
      resources = [
        "arn:${local.partition}:glue:${var.aws_region}:${local.account_id}:catalog",
        "arn:${local.partition}:glue:${var.aws_region}:${local.account_id}:database/${aws_glue_catalog_database.lake.name}",
        "arn:${local.partition}:glue:${var.aws_region}:${local.account_id}:table/${aws_glue_catalog_database.lake.name}/sales",
        "arn:${local.partition}:glue:${var.aws_region}:${local.account_id}:table/${aws_glue_catalog_database.lake.name}/marketplace",
      ]
    }
    athena_results = {
      # Athena writes its results with the caller's permissions.
      sid       = "AthenaResults"
      enabled   = local.athena_enabled
      actions   = ["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload"]
      resources = ["${local.bucket_arn}/athena-results/*"]
    }
    athena_bucket = {
      sid       = "AthenaBucketLocation"
      enabled   = local.athena_enabled
      actions   = ["s3:GetBucketLocation"]
      resources = [local.bucket_arn]
    }
    start_analytics_job = {
      sid       = "StartAnalyticsJob"
      actions   = ["states:StartExecution"]
      resources = [local.analytics_job_state_machine_arn]
    }
  }

  # Phase 4: the analytics jobs (docs/architecture.md, "Analytics jobs"). Only run-analytics-job computes and carries
  # DuckDB; query-analytics awaits the job it starts.
  analytics_job_functions = {
    "start-analytics-job" = {
      description     = "API POST /analytics/jobs: validates the operation and parameters, records the job, starts analytics-job."
      memory_mb       = 256
      timeout_seconds = 10
      workflows       = []
      environment = {
        CORS_ALLOWED_ORIGINS        = local.cors_origins_csv
        ANALYTICS_ENGINE            = var.analytics_engine
        ANALYTICS_STATE_MACHINE_ARN = local.analytics_job_state_machine_arn
      }
      statements = [
        {
          sid       = "RecordJob"
          actions   = ["dynamodb:PutItem", "dynamodb:UpdateItem"]
          resources = [local.sales_table_arn]
        },
        local.analytics_statements.start_analytics_job,
      ]
    }
    "run-analytics-job" = {
      description     = "Runs an analytics job's operation over the lake (DuckDB in the function, or Athena) or finds it cached."
      memory_mb       = 3008
      timeout_seconds = 600
      workflows       = ["analytics-job"]
      environment = {
        ANALYTICS_ENGINE            = var.analytics_engine
        ATHENA_WORKGROUP            = aws_athena_workgroup.lake.name
        ATHENA_DATABASE             = aws_glue_catalog_database.lake.name
        ANALYTICS_STATE_MACHINE_ARN = local.analytics_job_state_machine_arn
        ANALYTICS_CACHE_TTL_SECONDS = tostring(var.analytics_cache_ttl_seconds)
      }
      statements = [
        local.analytics_statements.list_lake,
        local.analytics_statements.read_lake,
        local.analytics_statements.write_results,
        local.analytics_statements.jobs_and_cache,
        local.analytics_statements.athena_queries,
        local.analytics_statements.athena_catalog,
        local.analytics_statements.athena_results,
        local.analytics_statements.athena_bucket,
      ]
    }
    "fail-analytics-job" = {
      description     = "The analytics-job workflow's Catch: the job FAILED with the error's name and message."
      memory_mb       = 256
      timeout_seconds = 30
      workflows       = ["analytics-job"]
      environment     = {}
      statements = [
        {
          sid       = "FailJob"
          actions   = ["dynamodb:UpdateItem"]
          resources = [local.sales_table_arn]
        },
      ]
    }
    "email-analytics-job" = {
      description     = "The analytics-job workflow's email step: an ended job's outcome as an HTML email (SES) to the report's recipients."
      memory_mb       = 256
      timeout_seconds = 30
      workflows       = ["analytics-job"]
      environment = {
        REPORT_EMAIL_RECIPIENTS = join(",", var.report_email_recipients)
        REPORT_EMAIL_SENDER     = local.report_email_enabled ? var.report_email_sender : ""
      }
      statements = [
        {
          # The job's record, and the message id written once the email is out.
          sid       = "ReadJob"
          actions   = ["dynamodb:GetItem", "dynamodb:UpdateItem"]
          resources = [local.sales_table_arn]
        },
        {
          # The result's head for the email's table.
          sid       = "ReadResults"
          actions   = ["s3:GetObject"]
          resources = ["${local.bucket_arn}/jobs/*"]
        },
        {
          # SES v2 SendEmail authorises on the sending identity; the condition pins the From address as well.
          sid       = "EmailJob"
          enabled   = local.report_email_enabled
          actions   = ["ses:SendEmail"]
          resources = [local.report_email_identity_arn]
          conditions = [
            { test = "StringEquals", variable = "ses:FromAddress", values = [local.report_email_enabled ? var.report_email_sender : ""] },
          ]
        },
      ]
    }
    "get-analytics-job" = {
      description     = "API GET /analytics/jobs/{id}: a job's status and result (inline, or a presigned link)."
      memory_mb       = 256
      timeout_seconds = 10
      workflows       = []
      environment = {
        CORS_ALLOWED_ORIGINS = local.cors_origins_csv
      }
      statements = [
        {
          sid       = "ReadJob"
          actions   = ["dynamodb:GetItem"]
          resources = [local.sales_table_arn]
        },
        {
          # Read for an inline result; the same permission signs the link to a large one.
          sid       = "ReadResults"
          actions   = ["s3:GetObject"]
          resources = ["${local.bucket_arn}/jobs/*"]
        },
      ]
    }
    "query-analytics" = {
      description     = "API GET /analytics/query: a cached result at once, or the request as an analytics job awaited within its time budget (else 202)."
      memory_mb       = 256
      timeout_seconds = 29
      workflows       = []
      environment = {
        CORS_ALLOWED_ORIGINS        = local.cors_origins_csv
        ANALYTICS_ENGINE            = var.analytics_engine
        ANALYTICS_STATE_MACHINE_ARN = local.analytics_job_state_machine_arn
        ANALYTICS_QUERY_BUDGET_MS   = tostring(var.analytics_query_budget_ms)
      }
      statements = [
        local.analytics_statements.list_lake,
        {
          # Read for an inline result; the same permission signs the link to a large one.
          sid       = "ReadResults"
          actions   = ["s3:GetObject"]
          resources = ["${local.bucket_arn}/jobs/*"]
        },
        local.analytics_statements.jobs_and_cache,
        local.analytics_statements.start_analytics_job,
      ]
    }
  }

  functions = merge(local.upload_functions, local.analysis_functions, local.api_functions, local.analytics_job_functions)

  # Memory and timeout after var.function_overrides.
  function_sizes = {
    for name, fn in local.functions : name => {
      memory_mb       = coalesce(try(var.function_overrides[name].memory_mb, null), fn.memory_mb)
      timeout_seconds = coalesce(try(var.function_overrides[name].timeout_seconds, null), fn.timeout_seconds)
    }
  }

  # The state machines, each from its ASL file in state-machines/. A workflow's role may invoke only the functions
  # that list it in `workflows`.
  workflows = {
    "upload-processor" = {
      definition = "upload-processor.asl.json"
    }
    "daily-analysis" = {
      definition = "daily-analysis.asl.json"
    }
    "analytics-job" = {
      definition = "analytics-job.asl.json"
    }
  }

  # API routes (HTTP API, Lambda proxy), keyed by a name safe for statement ids; the same table as API_ROUTES in
  # packages/local/src/servers/routes.ts and API_ROUTE_SPECS in packages/core (test/platform.test.ts compares them).
  # `public` routes stay open when the JWT authorizer is on.
  api_routes = {
    create-upload = {
      route_key = "POST /uploads"
      function  = "generate-upload-url"
      public    = false
    }
    get-analytics = {
      route_key = "GET /analytics"
      function  = "get-analytics"
      public    = false
    }
    get-trends = {
      route_key = "GET /trends"
      function  = "get-trends"
      public    = false
    }
    list-stores = {
      route_key = "GET /stores"
      function  = "list-catalog"
      public    = false
    }
    list-dates = {
      route_key = "GET /dates"
      function  = "list-catalog"
      public    = false
    }
    list-files = {
      route_key = "GET /files"
      function  = "list-files"
      public    = false
    }
    list-rejections = {
      route_key = "GET /files/rejections"
      function  = "list-files"
      public    = false
    }
    create-download-url = {
      route_key = "GET /download-url"
      function  = "generate-download-url"
      public    = false
    }
    get-report = {
      route_key = "GET /reports/{date}"
      function  = "get-report"
      public    = false
    }
    get-quality = {
      route_key = "GET /quality"
      function  = "get-quality"
      public    = false
    }
    get-health = {
      route_key = "GET /health"
      function  = "get-health"
      public    = true
    }
    get-openapi = {
      route_key = "GET /openapi.json"
      function  = "get-health"
      public    = false
    }
    get-marketplace-analytics = {
      route_key = "GET /analytics/marketplace"
      function  = "get-marketplace-analytics"
      public    = false
    }
    list-marketplace-reports = {
      route_key = "GET /analytics/marketplace/reports"
      function  = "get-marketplace-analytics"
      public    = false
    }
    start-analytics-job = {
      route_key = "POST /analytics/jobs"
      function  = "start-analytics-job"
      public    = false
    }
    get-analytics-job = {
      route_key = "GET /analytics/jobs/{id}"
      function  = "get-analytics-job"
      public    = false
    }
    query-analytics = {
      route_key = "GET /analytics/query"
      function  = "query-analytics"
      public    = false
    }
  }
}
