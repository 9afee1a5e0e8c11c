# Alarms (all to the alerts topic) and one CloudWatch dashboard. Every function gets errors, throttles and
# duration-near-timeout alarms; every workflow failed and timed-out executions.

locals {
  alarm_actions = [aws_sns_topic.alerts.arn]

  dynamodb_throttle_alarms = {
    sales-read = {
      table  = aws_dynamodb_table.sales.name
      metric = "ReadThrottleEvents"
    }
    sales-write = {
      table  = aws_dynamodb_table.sales.name
      metric = "WriteThrottleEvents"
    }
    idempotency-read = {
      table  = aws_dynamodb_table.idempotency.name
      metric = "ReadThrottleEvents"
    }
    idempotency-write = {
      table  = aws_dynamodb_table.idempotency.name
      metric = "WriteThrottleEvents"
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "function_errors" {
  for_each            = local.functions
  alarm_name          = "${var.project_name}-${each.key}-errors"
  alarm_description   = "${var.project_name}-${each.key} failed at least once in 5 minutes. Logs: aws logs tail /aws/lambda/${var.project_name}-${each.key} --since 1h"
  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  dimensions          = { FunctionName = aws_lambda_function.function[each.key].function_name }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "function_throttles" {
  for_each            = local.functions
  alarm_name          = "${var.project_name}-${each.key}-throttles"
  alarm_description   = "${var.project_name}-${each.key} was throttled (account or reserved concurrency exhausted)."
  namespace           = "AWS/Lambda"
  metric_name         = "Throttles"
  dimensions          = { FunctionName = aws_lambda_function.function[each.key].function_name }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
}

# At 80% of the timeout a growing input (a bigger store file, a longer history) is about to start failing.
resource "aws_cloudwatch_metric_alarm" "function_duration" {
  for_each            = local.functions
  alarm_name          = "${var.project_name}-${each.key}-duration-near-timeout"
  alarm_description   = "${var.project_name}-${each.key} ran for more than 80% of its ${local.function_sizes[each.key].timeout_seconds} s timeout."
  namespace           = "AWS/Lambda"
  metric_name         = "Duration"
  dimensions          = { FunctionName = aws_lambda_function.function[each.key].function_name }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  threshold           = local.function_sizes[each.key].timeout_seconds * 1000 * 0.8
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "workflow_failed" {
  for_each            = local.workflows
  alarm_name          = "${var.project_name}-${each.key}-executions-failed"
  alarm_description   = "An execution of ${var.project_name}-${each.key} failed; notify-failure has published its error."
  namespace           = "AWS/States"
  metric_name         = "ExecutionsFailed"
  dimensions          = { StateMachineArn = aws_sfn_state_machine.workflow[each.key].arn }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "workflow_timed_out" {
  for_each            = local.workflows
  alarm_name          = "${var.project_name}-${each.key}-executions-timed-out"
  alarm_description   = "An execution of ${var.project_name}-${each.key} timed out."
  namespace           = "AWS/States"
  metric_name         = "ExecutionsTimedOut"
  dimensions          = { StateMachineArn = aws_sfn_state_machine.workflow[each.key].arn }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "dynamodb_throttles" {
  for_each            = local.dynamodb_throttle_alarms
  alarm_name          = "${var.project_name}-dynamodb-${each.key}-throttles"
  alarm_description   = "${each.value.table} throttled requests (${each.value.metric})."
  namespace           = "AWS/DynamoDB"
  metric_name         = each.value.metric
  dimensions          = { TableName = each.value.table }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
}

# An upload whose workflow EventBridge could not start waits in the dead-letter queue: its age there is the age of the
# oldest unprocessed upload.
resource "aws_cloudwatch_metric_alarm" "oldest_unprocessed_upload" {
  alarm_name          = "${var.project_name}-oldest-unprocessed-upload"
  alarm_description   = "An upload did not start upload-processor; see the ${aws_sqs_queue.unstarted_uploads.name} queue."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateAgeOfOldestMessage"
  dimensions          = { QueueName = aws_sqs_queue.unstarted_uploads.name }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "uploads_rule_failed" {
  alarm_name          = "${var.project_name}-uploads-rule-failed-invocations"
  alarm_description   = "EventBridge failed to start upload-processor for an upload (it retries, then dead-letters)."
  namespace           = "AWS/Events"
  metric_name         = "FailedInvocations"
  dimensions          = { RuleName = aws_cloudwatch_event_rule.uploads.name }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "api_5xx" {
  alarm_name          = "${var.project_name}-api-5xx"
  alarm_description   = "The API answered 5xx at least 5 times in 5 minutes."
  namespace           = "AWS/ApiGateway"
  metric_name         = "5xx"
  dimensions          = { ApiId = aws_apigatewayv2_api.http.id }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 5
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
}

# Business metrics: what the functions count (Powertools Metrics, namespace var.metrics_namespace, dimension service;
# docs/operations.md "Metrics"). A metric that is not emitted is missing data, which is not a breach.
locals {
  metrics_service = local.common_environment.POWERTOOLS_SERVICE_NAME
}

resource "aws_cloudwatch_metric_alarm" "files_rejected" {
  alarm_name          = "${var.project_name}-files-rejected"
  alarm_description   = "A store file was rejected whole (unreadable, misnamed, too large, or no valid line): the store has not reported. Its reason is under rejected/; aws logs tail /aws/lambda/${var.project_name}-process-upload --since 1h"
  namespace           = var.metrics_namespace
  metric_name         = "FilesRejected"
  dimensions          = { service = local.metrics_service }
  statistic           = "Sum"
  period              = 3600
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "lines_rejected" {
  alarm_name          = "${var.project_name}-lines-rejected-over-${var.alarm_rejected_lines_pct}pct"
  alarm_description   = "More than ${var.alarm_rejected_lines_pct}% of the lines uploaded in an hour were rejected. LinesRejectedByReason says which field; the files under rejected/ say which lines."
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.alarm_rejected_lines_pct
  evaluation_periods  = 1
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions

  metric_query {
    id          = "pct"
    expression  = "100 * rejected / (rejected + accepted)"
    label       = "Rejected lines (%)"
    return_data = true
  }

  metric_query {
    id = "rejected"
    metric {
      namespace   = var.metrics_namespace
      metric_name = "LinesRejected"
      dimensions  = { service = local.metrics_service }
      period      = 3600
      stat        = "Sum"
    }
  }

  metric_query {
    id = "accepted"
    metric {
      namespace   = var.metrics_namespace
      metric_name = "LinesAccepted"
      dimensions  = { service = local.metrics_service }
      period      = 3600
      stat        = "Sum"
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "insights_degraded" {
  alarm_name          = "${var.project_name}-insights-degraded"
  alarm_description   = "A day's insights came from the statistical fallback (a failed insight step or provider); the alerts topic has its partial-failure notice with the reasons."
  namespace           = var.metrics_namespace
  metric_name         = "InsightsDegraded"
  dimensions          = { service = local.metrics_service }
  statistic           = "Sum"
  period              = 3600
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "analysis_duration" {
  alarm_name          = "${var.project_name}-analysis-duration"
  alarm_description   = "A day's analysis took more than ${var.alarm_analysis_duration_minutes} minutes from its start to its insights stored."
  namespace           = var.metrics_namespace
  metric_name         = "AnalysisDuration"
  dimensions          = { service = local.metrics_service }
  statistic           = "Maximum"
  period              = 3600
  evaluation_periods  = 1
  threshold           = var.alarm_analysis_duration_minutes * 60 * 1000
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "bedrock_cost" {
  count               = var.insights_provider == "bedrock" ? 1 : 0
  alarm_name          = "${var.project_name}-bedrock-daily-cost"
  alarm_description   = "The estimated Bedrock cost of the insights (${var.bedrock_model_id}) exceeded ${var.alarm_bedrock_daily_cost_usd} USD in a day."
  namespace           = var.metrics_namespace
  metric_name         = "BedrockCostUsd"
  dimensions          = { service = local.metrics_service, model = var.bedrock_model_id }
  statistic           = "Sum"
  period              = 86400
  evaluation_periods  = 1
  threshold           = var.alarm_bedrock_daily_cost_usd
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
}

locals {
  function_names = [for name in keys(local.functions) : aws_lambda_function.function[name].function_name]

  dashboard_widgets = [
    {
      type   = "metric"
      width  = 12
      height = 6
      properties = {
        title   = "Function invocations"
        region  = var.aws_region
        view    = "timeSeries"
        stat    = "Sum"
        period  = 300
        metrics = [for fn in local.function_names : ["AWS/Lambda", "Invocations", "FunctionName", fn]]
      }
    },
    {
      type   = "metric"
      width  = 12
      height = 6
      properties = {
        title   = "Function errors and throttles"
        region  = var.aws_region
        view    = "timeSeries"
        stat    = "Sum"
        period  = 300
        metrics = concat([for fn in local.function_names : ["AWS/Lambda", "Errors", "FunctionName", fn]], [for fn in local.function_names : ["AWS/Lambda", "Throttles", "FunctionName", fn]])
      }
    },
    {
      type   = "metric"
      width  = 12
      height = 6
      properties = {
        title   = "Function duration (p95, ms)"
        region  = var.aws_region
        view    = "timeSeries"
        stat    = "p95"
        period  = 300
        metrics = [for fn in local.function_names : ["AWS/Lambda", "Duration", "FunctionName", fn]]
      }
    },
    {
      type   = "metric"
      width  = 12
      height = 6
      properties = {
        title  = "Workflow executions"
        region = var.aws_region
        view   = "timeSeries"
        stat   = "Sum"
        period = 300
        metrics = flatten([
          for name, sm in aws_sfn_state_machine.workflow : [
            for metric in ["ExecutionsStarted", "ExecutionsSucceeded", "ExecutionsFailed", "ExecutionsTimedOut"] : ["AWS/States", metric, "StateMachineArn", sm.arn, { label = "${name} ${metric}" }]
          ]
        ])
      }
    },
    {
      type   = "metric"
      width  = 12
      height = 6
      properties = {
        title  = "DynamoDB capacity consumed and throttles"
        region = var.aws_region
        view   = "timeSeries"
        stat   = "Sum"
        period = 300
        metrics = flatten([
          for table in [aws_dynamodb_table.sales.name, aws_dynamodb_table.idempotency.name] : [
            for metric in ["ConsumedReadCapacityUnits", "ConsumedWriteCapacityUnits", "ReadThrottleEvents", "WriteThrottleEvents"] : ["AWS/DynamoDB", metric, "TableName", table]
          ]
        ])
      }
    },
    {
      type   = "metric"
      width  = 12
      height = 6
      properties = {
        title  = "API requests, errors and latency"
        region = var.aws_region
        view   = "timeSeries"
        period = 300
        metrics = [
          ["AWS/ApiGateway", "Count", "ApiId", aws_apigatewayv2_api.http.id, { stat = "Sum" }],
          ["AWS/ApiGateway", "4xx", "ApiId", aws_apigatewayv2_api.http.id, { stat = "Sum" }],
          ["AWS/ApiGateway", "5xx", "ApiId", aws_apigatewayv2_api.http.id, { stat = "Sum" }],
          ["AWS/ApiGateway", "Latency", "ApiId", aws_apigatewayv2_api.http.id, { stat = "p95", yAxis = "right" }],
        ]
      }
    },
    {
      type   = "metric"
      width  = 12
      height = 6
      properties = {
        title  = "Unprocessed uploads (dead-letter queue)"
        region = var.aws_region
        view   = "timeSeries"
        stat   = "Maximum"
        period = 300
        metrics = [
          ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", aws_sqs_queue.unstarted_uploads.name],
          ["AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName", aws_sqs_queue.unstarted_uploads.name, { yAxis = "right" }],
        ]
      }
    },
    {
      type   = "metric"
      width  = 12
      height = 6
      properties = {
        title   = "Uploads: files and lines accepted and rejected"
        region  = var.aws_region
        view    = "timeSeries"
        stat    = "Sum"
        period  = 3600
        metrics = [for metric in ["FilesAccepted", "FilesRejected", "LinesAccepted", "LinesRejected"] : [var.metrics_namespace, metric, "service", local.metrics_service]]
      }
    },
    {
      type   = "metric"
      width  = 12
      height = 6
      properties = {
        title  = "Daily analysis: duration (ms) and degraded days"
        region = var.aws_region
        view   = "timeSeries"
        period = 3600
        metrics = [
          [var.metrics_namespace, "AnalysisDuration", "service", local.metrics_service, { stat = "Maximum" }],
          [var.metrics_namespace, "InsightsDegraded", "service", local.metrics_service, { stat = "Sum", yAxis = "right" }],
        ]
      }
    },
    {
      type   = "alarm"
      width  = 12
      height = 6
      properties = {
        title = "Alarms"
        alarms = concat(
          [for alarm in aws_cloudwatch_metric_alarm.function_errors : alarm.arn],
          [for alarm in aws_cloudwatch_metric_alarm.workflow_failed : alarm.arn],
          [for alarm in aws_cloudwatch_metric_alarm.workflow_timed_out : alarm.arn],
          [for alarm in aws_cloudwatch_metric_alarm.dynamodb_throttles : alarm.arn],
          [
            aws_cloudwatch_metric_alarm.oldest_unprocessed_upload.arn,
            aws_cloudwatch_metric_alarm.uploads_rule_failed.arn,
            aws_cloudwatch_metric_alarm.api_5xx.arn,
            aws_cloudwatch_metric_alarm.files_rejected.arn,
            aws_cloudwatch_metric_alarm.lines_rejected.arn,
            aws_cloudwatch_metric_alarm.insights_degraded.arn,
            aws_cloudwatch_metric_alarm.analysis_duration.arn,
          ],
          aws_cloudwatch_metric_alarm.bedrock_cost[*].arn,
        )
      }
    },
  ]
}

resource "aws_cloudwatch_dashboard" "main" {
  dashboard_name = var.project_name
  dashboard_body = jsonencode({ widgets = local.dashboard_widgets })
}
