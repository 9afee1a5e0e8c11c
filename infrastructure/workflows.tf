# The Step Functions workflows of local.workflows, the EventBridge rule that starts upload-processor for every
# upload, and the EventBridge Scheduler schedule of the daily cut-off.

locals {
  # One map for every templatefile() call: `${<function name with - as _>_arn}` for each function, plus the topics.
  workflow_function_arns = { for name, fn in aws_lambda_function.function : "${replace(name, "-", "_")}_arn" => fn.arn }
  workflow_topic_arns = {
    alerts_topic_arn = aws_sns_topic.alerts.arn
    report_topic_arn = aws_sns_topic.report.arn
    jobs_topic_arn   = aws_sns_topic.jobs.arn
  }
  workflow_template_vars = merge(local.workflow_function_arns, local.workflow_topic_arns)

  # Topics a workflow publishes to by itself (sns:publish Tasks), found in its ASL, so that its role may publish to
  # those and no others.
  workflow_topics = {
    for name, wf in local.workflows : name => [
      for placeholder, arn in local.workflow_topic_arns : arn if strcontains(file("${path.module}/../state-machines/${wf.definition}"), "$${${placeholder}}")
    ]
  }
}

resource "aws_cloudwatch_log_group" "workflow" {
  for_each = local.workflows
  # Under /aws/vendedlogs/ so that log delivery does not grow the account's CloudWatch Logs resource policy.
  name              = "/aws/vendedlogs/states/${var.project_name}-${each.key}"
  retention_in_days = var.log_retention_days
}

data "aws_iam_policy_document" "states_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["states.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "workflow" {
  for_each           = local.workflows
  name               = "${var.project_name}-sfn-${each.key}"
  description        = "Role of the ${var.project_name}-${each.key} state machine"
  assume_role_policy = data.aws_iam_policy_document.states_assume.json
}

data "aws_iam_policy_document" "workflow" {
  for_each = local.workflows

  # Only the functions that list this workflow; ":*" admits their versions and aliases.
  statement {
    sid     = "InvokeOwnFunctions"
    actions = ["lambda:InvokeFunction"]
    resources = flatten([
      for name, fn in local.functions : [aws_lambda_function.function[name].arn, "${aws_lambda_function.function[name].arn}:*"] if contains(fn.workflows, each.key)
    ])
  }

  dynamic "statement" {
    for_each = length(local.workflow_topics[each.key]) > 0 ? [local.workflow_topics[each.key]] : []

    content {
      sid       = "PublishFromDefinition"
      actions   = ["sns:Publish"]
      resources = statement.value
    }
  }

  # Log delivery to CloudWatch Logs is configured through these account-level APIs, which accept only "*".
  statement {
    sid = "ExecutionLogDelivery"
    actions = [
      "logs:CreateLogDelivery",
      "logs:GetLogDelivery",
      "logs:UpdateLogDelivery",
      "logs:DeleteLogDelivery",
      "logs:ListLogDeliveries",
      "logs:PutResourcePolicy",
      "logs:DescribeResourcePolicies",
      "logs:DescribeLogGroups",
    ]
    resources = ["*"]
  }

  statement {
    sid       = "Tracing"
    actions   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets"]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "workflow" {
  for_each = local.workflows
  name     = "least-privilege"
  role     = aws_iam_role.workflow[each.key].id
  policy   = data.aws_iam_policy_document.workflow[each.key].json
}

resource "aws_sfn_state_machine" "workflow" {
  for_each   = local.workflows
  name       = "${var.project_name}-${each.key}"
  type       = "STANDARD"
  role_arn   = aws_iam_role.workflow[each.key].arn
  definition = templatefile("${path.module}/../state-machines/${each.value.definition}", local.workflow_template_vars)

  logging_configuration {
    log_destination        = "${aws_cloudwatch_log_group.workflow[each.key].arn}:*"
    include_execution_data = false
    level                  = var.workflow_log_level
  }

  tracing_configuration {
    enabled = true
  }

  # Step Functions checks at creation that the role may deliver logs.
  depends_on = [aws_iam_role_policy.workflow]
}

# S3 Object Created under uploads/ -> upload-processor, with the whole event as the execution input.
resource "aws_cloudwatch_event_rule" "uploads" {
  name        = "${var.project_name}-uploads"
  description = "Starts upload-processor for every object created under uploads/ in ${local.bucket_name}."
  event_pattern = jsonencode({
    source        = ["aws.s3"]
    "detail-type" = ["Object Created"]
    detail = {
      bucket = { name = [aws_s3_bucket.data.bucket] }
      object = { key = [{ prefix = "uploads/" }] }
    }
  })
}

data "aws_iam_policy_document" "events_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "uploads_rule" {
  name               = "${var.project_name}-events-uploads"
  description        = "Lets the uploads rule start upload-processor"
  assume_role_policy = data.aws_iam_policy_document.events_assume.json
}

data "aws_iam_policy_document" "uploads_rule" {
  statement {
    sid       = "StartUploadProcessor"
    actions   = ["states:StartExecution"]
    resources = [aws_sfn_state_machine.workflow["upload-processor"].arn]
  }
}

resource "aws_iam_role_policy" "uploads_rule" {
  name   = "start-upload-processor"
  role   = aws_iam_role.uploads_rule.id
  policy = data.aws_iam_policy_document.uploads_rule.json
}

# Uploads whose workflow could not be started after EventBridge's retries land here; the age of the oldest message is
# the age of the oldest unprocessed upload (alarm in monitoring.tf). Redrive by starting upload-processor with the body.
resource "aws_sqs_queue" "unstarted_uploads" {
  name                      = "${var.project_name}-unstarted-uploads"
  message_retention_seconds = 1209600
  sqs_managed_sse_enabled   = true
}

data "aws_iam_policy_document" "unstarted_uploads" {
  statement {
    sid       = "EventBridgeDeadLetters"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.unstarted_uploads.arn]

    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [aws_cloudwatch_event_rule.uploads.arn]
    }
  }
}

resource "aws_sqs_queue_policy" "unstarted_uploads" {
  queue_url = aws_sqs_queue.unstarted_uploads.id
  policy    = data.aws_iam_policy_document.unstarted_uploads.json
}

resource "aws_cloudwatch_event_target" "uploads" {
  rule      = aws_cloudwatch_event_rule.uploads.name
  target_id = "upload-processor"
  arn       = aws_sfn_state_machine.workflow["upload-processor"].arn
  role_arn  = aws_iam_role.uploads_rule.arn

  retry_policy {
    maximum_event_age_in_seconds = 86400
    maximum_retry_attempts       = 185
  }

  dead_letter_config {
    arn = aws_sqs_queue.unstarted_uploads.arn
  }
}

# The daily cut-off, evaluated in the business time zone (a UTC cron would drift by an hour with daylight saving).
data "aws_iam_policy_document" "scheduler_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["scheduler.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "daily_analysis_schedule" {
  name               = "${var.project_name}-scheduler-daily-analysis"
  description        = "Lets the daily cut-off schedule invoke trigger-daily-analysis"
  assume_role_policy = data.aws_iam_policy_document.scheduler_assume.json
}

data "aws_iam_policy_document" "daily_analysis_schedule" {
  statement {
    sid     = "InvokeTrigger"
    actions = ["lambda:InvokeFunction"]
    resources = [
      aws_lambda_function.function["trigger-daily-analysis"].arn,
      "${aws_lambda_function.function["trigger-daily-analysis"].arn}:*",
    ]
  }
}

resource "aws_iam_role_policy" "daily_analysis_schedule" {
  name   = "invoke-trigger-daily-analysis"
  role   = aws_iam_role.daily_analysis_schedule.id
  policy = data.aws_iam_policy_document.daily_analysis_schedule.json
}

resource "aws_scheduler_schedule" "daily_analysis" {
  name                         = "${var.project_name}-daily-analysis"
  description                  = "Daily cut-off: analyses the business days where some stores never reported."
  schedule_expression          = var.daily_analysis_schedule
  schedule_expression_timezone = var.daily_analysis_timezone
  state                        = var.enable_scheduled_analysis ? "ENABLED" : "DISABLED"

  flexible_time_window {
    mode = "OFF"
  }

  target {
    arn      = aws_lambda_function.function["trigger-daily-analysis"].arn
    role_arn = aws_iam_role.daily_analysis_schedule.arn
    # The shape of a scheduled event (id, time) with the scheduled instant, not the invocation time, so that a retried
    # or late run works out the same business days.
    input = jsonencode({ id = "<aws.scheduler.execution-id>", time = "<aws.scheduler.scheduled-time>" })

    retry_policy {
      maximum_event_age_in_seconds = 3600
      maximum_retry_attempts       = 3
    }
  }
}
