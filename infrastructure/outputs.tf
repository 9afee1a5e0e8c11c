output "api_url" {
  description = "Base URL of the HTTP API, without a trailing slash (POST <api_url>/uploads for an upload URL)."
  value       = trimsuffix(aws_apigatewayv2_stage.default.invoke_url, "/")
}

output "bucket_name" {
  description = "The data bucket (uploads/, processed/, rejected/, reports/, quicksight/)."
  value       = aws_s3_bucket.data.bucket
}

output "sales_table_name" {
  description = "The single DynamoDB table of summaries, metrics, insights and day status."
  value       = aws_dynamodb_table.sales.name
}

output "idempotency_table_name" {
  description = "The DynamoDB table of Powertools idempotency records."
  value       = aws_dynamodb_table.idempotency.name
}

output "state_machine_arns" {
  description = "ARN of each deployed workflow, by name."
  value       = { for name, sm in aws_sfn_state_machine.workflow : name => sm.arn }
}

output "function_names" {
  description = "Deployed Lambda function names, by function."
  value       = { for name, fn in aws_lambda_function.function : name => fn.function_name }
}

output "alerts_topic_arn" {
  description = "SNS topic of failures and alarms."
  value       = aws_sns_topic.alerts.arn
}

output "report_topic_arn" {
  description = "SNS topic of the daily report."
  value       = aws_sns_topic.report.arn
}

output "report_email_identity" {
  description = "The SES identity the report email is sent as, and whether SES has verified it (null when no recipient is set, or the identity is not managed here)."
  value = length(aws_sesv2_email_identity.report) == 0 ? null : {
    identity    = aws_sesv2_email_identity.report[0].email_identity
    verified    = aws_sesv2_email_identity.report[0].verified_for_sending_status
    dkim_tokens = aws_sesv2_email_identity.report[0].dkim_signing_attributes[0].tokens
  }
}

output "unstarted_uploads_queue_url" {
  description = "Dead-letter queue of uploads whose workflow EventBridge could not start."
  value       = aws_sqs_queue.unstarted_uploads.url
}

output "dashboard_url" {
  description = "CloudWatch dashboard of the stack."
  value       = "https://${var.aws_region}.console.aws.amazon.com/cloudwatch/home?region=${var.aws_region}#dashboards/dashboard/${aws_cloudwatch_dashboard.main.dashboard_name}"
}

output "dashboard_site_url" {
  description = "URL of the hosted dashboard, or null when enable_dashboard_site is false."
  value       = var.enable_dashboard_site ? "https://${aws_cloudfront_distribution.dashboard[0].domain_name}" : null
}

output "dashboard_site_bucket" {
  description = "Bucket to sync the dashboard build into, or null when enable_dashboard_site is false."
  value       = var.enable_dashboard_site ? aws_s3_bucket.dashboard[0].bucket : null
}

output "athena_workgroup" {
  description = "Athena workgroup for SQL over the lake."
  value       = aws_athena_workgroup.lake.name
}

output "glue_database" {
  description = "Glue database holding the sales table."
  value       = aws_glue_catalog_database.lake.name
}
