# HTTP API (Lambda proxy, payload 2.0) over the routes of local.api_routes.

locals {
  # The dashboard site, when hosted here, is an allowed origin of the API and of presigned uploads.
  cors_origins = concat(var.cors_origins, var.enable_dashboard_site ? ["https://${aws_cloudfront_distribution.dashboard[0].domain_name}"] : [])
}

resource "aws_apigatewayv2_api" "http" {
  name          = "${var.project_name}-api"
  protocol_type = "HTTP"
  description   = "Tillflow API: upload URLs, files, analytics, trends, reports."

  dynamic "cors_configuration" {
    for_each = length(local.cors_origins) > 0 ? [local.cors_origins] : []

    content {
      allow_origins  = cors_configuration.value
      allow_methods  = ["GET", "POST", "OPTIONS"]
      allow_headers  = ["authorization", "content-type", "if-none-match"]
      expose_headers = ["etag"]
      max_age        = 3600
    }
  }

  lifecycle {
    precondition {
      condition     = !var.enable_auth || (var.jwt_issuer != null && length(var.jwt_audience) > 0)
      error_message = "enable_auth needs jwt_issuer and at least one jwt_audience."
    }
  }
}

resource "aws_apigatewayv2_authorizer" "jwt" {
  count            = var.enable_auth ? 1 : 0
  api_id           = aws_apigatewayv2_api.http.id
  name             = "jwt"
  authorizer_type  = "JWT"
  identity_sources = ["$request.header.Authorization"]

  jwt_configuration {
    issuer   = var.jwt_issuer
    audience = var.jwt_audience
  }
}

resource "aws_cloudwatch_log_group" "api_access" {
  name              = "/aws/apigateway/${var.project_name}-api"
  retention_in_days = var.log_retention_days
}

resource "aws_apigatewayv2_stage" "default" {
  api_id      = aws_apigatewayv2_api.http.id
  name        = "$default"
  auto_deploy = true

  default_route_settings {
    throttling_rate_limit  = var.api_throttle_rate_limit
    throttling_burst_limit = var.api_throttle_burst_limit
  }

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.api_access.arn
    format = jsonencode({
      requestId          = "$context.requestId"
      requestTime        = "$context.requestTime"
      routeKey           = "$context.routeKey"
      status             = "$context.status"
      responseLength     = "$context.responseLength"
      latencyMs          = "$context.responseLatency"
      integrationLatency = "$context.integrationLatency"
      integrationError   = "$context.integrationErrorMessage"
      sourceIp           = "$context.identity.sourceIp"
      userAgent          = "$context.identity.userAgent"
    })
  }
}

resource "aws_apigatewayv2_integration" "route" {
  for_each               = local.api_routes
  api_id                 = aws_apigatewayv2_api.http.id
  integration_type       = "AWS_PROXY"
  integration_uri        = aws_lambda_function.function[each.value.function].invoke_arn
  payload_format_version = "2.0"
}

resource "aws_apigatewayv2_route" "route" {
  for_each  = local.api_routes
  api_id    = aws_apigatewayv2_api.http.id
  route_key = each.value.route_key
  target    = "integrations/${aws_apigatewayv2_integration.route[each.key].id}"
  # Every route needs a JWT when enable_auth is set, but the public ones (GET /health, for uptime checks).
  authorization_type = var.enable_auth && !each.value.public ? "JWT" : "NONE"
  authorizer_id      = var.enable_auth && !each.value.public ? aws_apigatewayv2_authorizer.jwt[0].id : null
}

# Each function may be invoked by the API for its own route only. execute-api ARNs write a path parameter as "*"
# (POST /files/{key} -> */POST/files/*).
resource "aws_lambda_permission" "api" {
  for_each      = local.api_routes
  statement_id  = "AllowApi-${each.key}"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.function[each.value.function].function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.http.execution_arn}/*/${replace(replace(each.value.route_key, " ", ""), "/\\{[^}]+\\}/", "*")}"
}
