variable "aws_region" {
  type        = string
  description = "AWS region to deploy into, for example us-east-1."
  default     = "us-east-1"

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]+$", var.aws_region))
    error_message = "aws_region must be a region code such as us-east-1 or eu-central-2."
  }
}

variable "project_name" {
  type        = string
  description = "Prefix of every resource name, so that two stacks can live in one account."
  default     = "tillflow"

  validation {
    # 24 characters at most: "<project>-fn-generate-recommendations" must fit IAM's 64-character role names.
    condition     = can(regex("^[a-z][a-z0-9-]{1,22}[a-z0-9]$", var.project_name))
    error_message = "project_name must be 3-24 characters of lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "bucket_name" {
  type        = string
  description = "Name of the data bucket. Null derives a globally unique one from project_name and the account id."
  default     = null

  validation {
    condition     = var.bucket_name == null || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.bucket_name))
    error_message = "bucket_name must be a valid S3 bucket name: 3-63 lowercase letters, digits, dots and hyphens."
  }
}

variable "expected_stores" {
  type        = list(string)
  description = "Store ids (four digits, as in store_0001_2025-10-29.json) expected to report every business day."
  default     = ["0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008", "0009", "0010", "0011"]

  validation {
    condition     = length(var.expected_stores) > 0 && alltrue([for id in var.expected_stores : can(regex("^[0-9]{4}$", id))])
    error_message = "expected_stores must list at least one store id, each exactly four digits."
  }

  validation {
    condition     = length(distinct(var.expected_stores)) == length(var.expected_stores)
    error_message = "expected_stores must not repeat a store id: the day's analysis starts when the count is reached."
  }
}

variable "alert_email" {
  type        = string
  description = "Email address subscribed to the alerts topic (failed uploads, alarms). Null subscribes nobody."
  default     = null

  validation {
    condition     = var.alert_email == null || can(regex("^[^@[:space:]]+@[^@[:space:]]+\\.[^@[:space:]]+$", var.alert_email))
    error_message = "alert_email must be an email address or null."
  }
}

variable "report_email" {
  type        = string
  description = "Email address subscribed to the daily report topic. Null uses alert_email."
  default     = null

  validation {
    condition     = var.report_email == null || can(regex("^[^@[:space:]]+@[^@[:space:]]+\\.[^@[:space:]]+$", var.report_email))
    error_message = "report_email must be an email address or null."
  }
}

variable "report_email_recipients" {
  type        = list(string)
  description = "Addresses the daily report is emailed to as HTML through Amazon SES v2, besides the report topic (one message, all in To). Empty sends no email. While the account is in the SES sandbox, each must be a verified identity too (docs/deployment.md)."
  default     = []

  validation {
    condition     = alltrue([for a in var.report_email_recipients : can(regex("^[^@[:space:]]+@[^@[:space:]]+\\.[^@[:space:]]+$", a))])
    error_message = "report_email_recipients must list email addresses."
  }

  validation {
    condition     = length(var.report_email_recipients) <= 50 && length(distinct(var.report_email_recipients)) == length(var.report_email_recipients)
    error_message = "report_email_recipients takes at most 50 distinct addresses: SES sends a message to 50 recipients at most."
  }
}

variable "report_email_sender" {
  type        = string
  description = "The From address of the report email: an address of the SES identity report_email_identity (the address itself, or an address at that domain). Required when report_email_recipients is set."
  default     = null

  validation {
    condition     = var.report_email_sender == null || can(regex("^[^@[:space:]]+@[^@[:space:]]+\\.[^@[:space:]]+$", var.report_email_sender))
    error_message = "report_email_sender must be an email address or null."
  }
}

variable "report_email_identity" {
  type        = string
  description = "The SES identity that authorises report_email_sender: the sender address (null, the default) or its domain. The function may send as this identity only."
  default     = null

  validation {
    condition     = var.report_email_identity == null || can(regex("^([^@[:space:]]+@)?[a-z0-9.-]+\\.[a-z]{2,}$", lower(var.report_email_identity)))
    error_message = "report_email_identity must be an email address or a domain name, or null."
  }
}

variable "create_report_email_identity" {
  type        = bool
  description = "Creates report_email_identity in SES (aws_sesv2_email_identity). SES then mails the address a verification link, or gives DKIM records for a domain (output report_email_identity). False when the identity already exists in the account and region."
  default     = true
}

variable "bedrock_model_id" {
  type        = string
  description = "Bedrock model (or cross-region inference profile such as us.amazon.nova-lite-v1:0) used when insights_provider is bedrock."
  default     = "amazon.nova-lite-v1:0"

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.:-]*$", var.bedrock_model_id))
    error_message = "bedrock_model_id must be a Bedrock model id such as amazon.nova-lite-v1:0."
  }
}

variable "insights_provider" {
  type        = string
  description = "How recommendations are written: statistical (deterministic) or bedrock (grounded on the statistical facts)."
  default     = "statistical"

  validation {
    condition     = contains(["statistical", "bedrock"], var.insights_provider)
    error_message = "insights_provider must be statistical or bedrock."
  }
}

variable "analytics_engine" {
  type        = string
  description = "The engine of the analytics jobs: duckdb (embedded in the job function, reading the range's partitions) or athena (the Glue table of analytics.tf, for a lake larger than one function reads)."
  default     = "duckdb"

  validation {
    condition     = contains(["duckdb", "athena"], var.analytics_engine)
    error_message = "analytics_engine must be duckdb or athena."
  }
}

variable "marketplace_channels" {
  type        = list(string)
  description = "Marketplace channels whose reports are uploaded (uploads/marketplace/<channel>/): the partition projection of the Glue table marketplace enumerates them, so Athena reads only these."
  default     = ["amazon"]

  validation {
    condition     = length(var.marketplace_channels) > 0 && alltrue([for c in var.marketplace_channels : can(regex("^[a-z0-9][a-z0-9-]{0,31}$", c))])
    error_message = "marketplace_channels must list at least one channel, each lower-case letters, digits and dashes (at most 32), as an upload key names it."
  }
}

variable "analytics_cache_ttl_seconds" {
  type        = number
  description = "How long an identical analytics request (same operation, parameters and lake version) is answered from the cache."
  default     = 86400

  validation {
    condition     = var.analytics_cache_ttl_seconds >= 60 && var.analytics_cache_ttl_seconds <= 2592000
    error_message = "analytics_cache_ttl_seconds must be between 60 and 2592000 (30 days): DynamoDB's TTL removes the entries after it."
  }
}

variable "analytics_query_budget_ms" {
  type        = number
  description = "How long GET /analytics/query computes before it hands the request to a job and answers 202."
  default     = 8000

  validation {
    condition     = var.analytics_query_budget_ms >= 100 && var.analytics_query_budget_ms <= 25000
    error_message = "analytics_query_budget_ms must be between 100 and 25000: API Gateway ends a request after 30 seconds."
  }
}

variable "daily_analysis_schedule" {
  type        = string
  description = "EventBridge Scheduler expression for the daily cut-off that analyses days where some stores never reported, evaluated in daily_analysis_timezone."
  default     = "cron(30 23 * * ? *)"

  validation {
    condition     = can(regex("^(cron|rate)\\(.+\\)$", var.daily_analysis_schedule))
    error_message = "daily_analysis_schedule must be a cron(...) or rate(...) expression."
  }
}

variable "daily_analysis_timezone" {
  type        = string
  description = "IANA time zone in which the business day ends and the schedule is evaluated, for example America/New_York."
  default     = "UTC"

  validation {
    condition     = can(regex("^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*$", var.daily_analysis_timezone))
    error_message = "daily_analysis_timezone must be a non-empty IANA time zone name such as UTC or Europe/Paris."
  }
}

variable "enable_scheduled_analysis" {
  type        = bool
  description = "Whether the daily cut-off schedule is enabled (disabled keeps it deployed but idle)."
  default     = true
}

variable "metrics_namespace" {
  type        = string
  description = "CloudWatch namespace of the business metrics the functions emit (Powertools Metrics, EMF) and the alarms on them."
  default     = "Tillflow"

  validation {
    condition     = can(regex("^[A-Za-z0-9._/#:-]{1,255}$", var.metrics_namespace)) && !startswith(var.metrics_namespace, "AWS/")
    error_message = "metrics_namespace must be 1-255 letters, digits or . _ / # : - and must not start with AWS/ (reserved for AWS services)."
  }
}

variable "alarm_rejected_lines_pct" {
  type        = number
  description = "Alarm when more than this percentage of the lines uploaded in an hour are rejected (a store export gone wrong)."
  default     = 5

  validation {
    condition     = var.alarm_rejected_lines_pct > 0 && var.alarm_rejected_lines_pct <= 100
    error_message = "alarm_rejected_lines_pct must be a percentage above 0 and at most 100."
  }
}

variable "alarm_analysis_duration_minutes" {
  type        = number
  description = "Alarm when a day's analysis takes longer than this many minutes (from its start to its insights stored)."
  default     = 10

  validation {
    condition     = var.alarm_analysis_duration_minutes >= 1
    error_message = "alarm_analysis_duration_minutes must be at least 1: an analysis takes seconds, and a lower bound would only make noise."
  }
}

variable "alarm_bedrock_daily_cost_usd" {
  type        = number
  description = "Alarm when the estimated Bedrock cost of the insights exceeds this many US dollars in a day (insights_provider bedrock only)."
  default     = 1

  validation {
    condition     = var.alarm_bedrock_daily_cost_usd > 0
    error_message = "alarm_bedrock_daily_cost_usd must be above 0."
  }
}

variable "log_retention_days" {
  type        = number
  description = "Retention of every log group (functions, workflows, API access logs), in days."
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be one of the values CloudWatch Logs accepts: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653."
  }
}

variable "log_level" {
  type        = string
  description = "Powertools log level of every function."
  default     = "INFO"

  validation {
    condition     = contains(["DEBUG", "INFO", "WARN", "ERROR"], var.log_level)
    error_message = "log_level must be DEBUG, INFO, WARN or ERROR."
  }
}

variable "workflow_log_level" {
  type        = string
  description = "Step Functions execution logging level."
  default     = "ERROR"

  validation {
    condition     = contains(["ALL", "ERROR", "FATAL", "OFF"], var.workflow_log_level)
    error_message = "workflow_log_level must be ALL, ERROR, FATAL or OFF."
  }
}

variable "cors_origins" {
  type        = list(string)
  description = "Browser origins allowed to call the API and to PUT presigned uploads, for example https://dashboard.example.com."
  default     = []

  validation {
    condition     = alltrue([for origin in var.cors_origins : origin == "*" || can(regex("^https?://[^/]+$", origin))])
    error_message = "cors_origins entries must be \"*\" or scheme://host[:port] with no path or trailing slash."
  }
}

variable "enable_auth" {
  type        = bool
  description = "Whether API routes require a JWT (jwt_issuer and jwt_audience must then be set)."
  default     = false
}

variable "jwt_issuer" {
  type        = string
  description = "Issuer URL of the JWT authorizer, for example https://cognito-idp.us-east-1.amazonaws.com/<pool id>."
  default     = null

  validation {
    condition     = var.jwt_issuer == null || can(regex("^https://", var.jwt_issuer))
    error_message = "jwt_issuer must be an https:// URL or null."
  }
}

variable "jwt_audience" {
  type        = list(string)
  description = "Accepted audiences (client ids) of the JWT authorizer."
  default     = []
}

variable "lambda_architecture" {
  type        = string
  description = "Instruction set of every function."
  default     = "arm64"

  validation {
    condition     = contains(["arm64", "x86_64"], var.lambda_architecture)
    error_message = "lambda_architecture must be arm64 or x86_64."
  }
}

variable "function_overrides" {
  type = map(object({
    memory_mb       = optional(number)
    timeout_seconds = optional(number)
  }))
  description = "Per-function memory and timeout, keyed by function name (for example process-upload), replacing the defaults in locals.tf. Keep a workflow function's timeout below its Task's TimeoutSeconds in the ASL."
  default     = {}

  validation {
    condition     = alltrue([for o in values(var.function_overrides) : o.memory_mb == null || try(o.memory_mb >= 128 && o.memory_mb <= 10240, false)])
    error_message = "memory_mb must be between 128 and 10240."
  }

  validation {
    condition     = alltrue([for o in values(var.function_overrides) : o.timeout_seconds == null || try(o.timeout_seconds >= 1 && o.timeout_seconds <= 900, false)])
    error_message = "timeout_seconds must be between 1 and 900."
  }
}

variable "upload_url_expires_seconds" {
  type        = number
  description = "Lifetime of a presigned upload URL."
  default     = 900

  validation {
    condition     = var.upload_url_expires_seconds >= 60 && var.upload_url_expires_seconds <= 3600
    error_message = "upload_url_expires_seconds must be between 60 and 3600 (one hour at most)."
  }
}

variable "max_upload_bytes" {
  type        = number
  description = "The largest store file process-upload takes, in bytes (MAX_UPLOAD_BYTES); larger files are rejected whole before they are read. Files are streamed, so the bound is about time, not memory: 1 GB converts within the function's 1,024 MB."
  default     = 2147483648

  validation {
    condition     = var.max_upload_bytes >= 1048576 && var.max_upload_bytes == floor(var.max_upload_bytes)
    error_message = "max_upload_bytes must be a whole number of bytes, at least 1 MiB (a store-day file of a small store is ~100 KB)."
  }
}

variable "api_throttle_rate_limit" {
  type        = number
  description = "Steady-state requests per second the API accepts before answering 429."
  default     = 20

  validation {
    condition     = var.api_throttle_rate_limit > 0
    error_message = "api_throttle_rate_limit must be positive."
  }
}

variable "api_throttle_burst_limit" {
  type        = number
  description = "Burst of requests the API accepts above the rate limit."
  default     = 50

  validation {
    condition     = var.api_throttle_burst_limit >= 1 && floor(var.api_throttle_burst_limit) == var.api_throttle_burst_limit
    error_message = "api_throttle_burst_limit must be a positive whole number."
  }
}

variable "kms_key_arn" {
  type        = string
  description = "Customer-managed KMS key for the data bucket. Null uses SSE-S3 (AES-256)."
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "kms_key_arn must be the ARN of a KMS key (arn:aws:kms:<region>:<account>:key/<id>) or null."
  }
}

variable "noncurrent_version_expiration_days" {
  type        = number
  description = "Days after which replaced or deleted object versions in the data bucket are removed."
  default     = 90

  validation {
    condition     = var.noncurrent_version_expiration_days >= 1
    error_message = "noncurrent_version_expiration_days must be at least 1."
  }
}

variable "enable_dashboard_site" {
  type        = bool
  description = "Whether to host the dashboard as a static site (S3 + CloudFront)."
  default     = false
}

variable "tags" {
  type        = map(string)
  description = "Tags added to every resource, on top of Project and ManagedBy."
  default     = {}
}
