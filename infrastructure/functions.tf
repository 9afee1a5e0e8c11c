# Every function of local.functions: its log group, its own role with only its statements, and the function.

resource "aws_cloudwatch_log_group" "function" {
  for_each          = local.functions
  name              = "/aws/lambda/${var.project_name}-${each.key}"
  retention_in_days = var.log_retention_days
}

data "aws_iam_policy_document" "lambda_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "function" {
  for_each           = local.functions
  name               = "${var.project_name}-fn-${each.key}"
  description        = "Execution role of ${var.project_name}-${each.key}"
  assume_role_policy = data.aws_iam_policy_document.lambda_assume.json
}

data "aws_iam_policy_document" "function" {
  for_each = local.functions

  statement {
    sid       = "OwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.function[each.key].arn}:*"]
  }

  # X-Ray accepts no resource but "*" for these actions.
  statement {
    sid       = "Tracing"
    actions   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
    resources = ["*"]
  }

  # With a customer-managed key, S3 needs the caller's permission to use it for every object read or written.
  dynamic "statement" {
    for_each = var.kms_key_arn != null && anytrue([for s in each.value.statements : anytrue([for a in s.actions : startswith(a, "s3:")])]) ? [var.kms_key_arn] : []

    content {
      sid       = "DataBucketKey"
      actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
      resources = [statement.value]
    }
  }

  dynamic "statement" {
    for_each = [for s in each.value.statements : s if try(s.enabled, true)]

    content {
      sid       = statement.value.sid
      actions   = statement.value.actions
      resources = statement.value.resources

      dynamic "condition" {
        for_each = try(statement.value.conditions, [])

        content {
          test     = condition.value.test
          variable = condition.value.variable
          values   = condition.value.values
        }
      }
    }
  }
}

resource "aws_iam_role_policy" "function" {
  for_each = local.functions
  name     = "least-privilege"
  role     = aws_iam_role.function[each.key].id
  policy   = data.aws_iam_policy_document.function[each.key].json
}

resource "aws_lambda_function" "function" {
  for_each         = local.functions
  function_name    = "${var.project_name}-${each.key}"
  description      = each.value.description
  role             = aws_iam_role.function[each.key].arn
  handler          = "index.handler"
  runtime          = "nodejs24.x"
  architectures    = [var.lambda_architecture]
  filename         = "${local.package_dir}/${each.key}.zip"
  source_code_hash = filebase64sha256("${local.package_dir}/${each.key}.zip")
  memory_size      = local.function_sizes[each.key].memory_mb
  timeout          = local.function_sizes[each.key].timeout_seconds

  environment {
    variables = merge(local.common_environment, each.value.environment)
  }

  tracing_config {
    mode = "Active"
  }

  # The log group above, created first, so that Lambda never creates one without retention.
  logging_config {
    log_format = "Text"
    log_group  = aws_cloudwatch_log_group.function[each.key].name
  }

  depends_on = [aws_iam_role_policy.function]
}
