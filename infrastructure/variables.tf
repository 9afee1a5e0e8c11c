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
