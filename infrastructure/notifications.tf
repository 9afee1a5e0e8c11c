# Alerts (failed workflow steps, CloudWatch alarms) and the daily report. Encrypted topics would need a
# customer-managed key whose policy admits CloudWatch, so these use SNS's default (no SSE) and carry no sales data.
resource "aws_sns_topic" "alerts" {
  name = "${var.project_name}-alerts"
}

resource "aws_sns_topic" "report" {
  name = "${var.project_name}-daily-report"
}

# An analytics job's completion or failure (the analytics-job workflow publishes its outcome: ids and counts, no rows).
resource "aws_sns_topic" "jobs" {
  name = "${var.project_name}-analytics-jobs"
}

# Email subscriptions stay pending until the recipient follows the confirmation link.
resource "aws_sns_topic_subscription" "alerts_email" {
  count     = var.alert_email == null ? 0 : 1
  topic_arn = aws_sns_topic.alerts.arn
  protocol  = "email"
  endpoint  = var.alert_email
}

resource "aws_sns_topic_subscription" "report_email" {
  count     = local.report_email == null ? 0 : 1
  topic_arn = aws_sns_topic.report.arn
  protocol  = "email"
  endpoint  = local.report_email
}

locals {
  report_email = var.report_email != null ? var.report_email : var.alert_email
}
