# The dashboard (packages/dashboard's static build) served by CloudFront from a private bucket, when
# enable_dashboard_site is true. Upload the build with `aws s3 sync` (docs/deployment.md).

resource "aws_s3_bucket" "dashboard" {
  count  = var.enable_dashboard_site ? 1 : 0
  bucket = "${var.project_name}-dashboard-${local.account_id}"
}

resource "aws_s3_bucket_ownership_controls" "dashboard" {
  count  = var.enable_dashboard_site ? 1 : 0
  bucket = aws_s3_bucket.dashboard[0].id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "dashboard" {
  count                   = var.enable_dashboard_site ? 1 : 0
  bucket                  = aws_s3_bucket.dashboard[0].id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "dashboard" {
  count  = var.enable_dashboard_site ? 1 : 0
  bucket = aws_s3_bucket.dashboard[0].id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_cloudfront_origin_access_control" "dashboard" {
  count                             = var.enable_dashboard_site ? 1 : 0
  name                              = "${var.project_name}-dashboard"
  description                       = "CloudFront reads the dashboard bucket"
  origin_access_control_origin_type = "s3"
  signing_behavior                  = "always"
  signing_protocol                  = "sigv4"
}

data "aws_cloudfront_cache_policy" "caching_optimized" {
  count = var.enable_dashboard_site ? 1 : 0
  name  = "Managed-CachingOptimized"
}

resource "aws_cloudfront_distribution" "dashboard" {
  count               = var.enable_dashboard_site ? 1 : 0
  enabled             = true
  comment             = "${var.project_name} dashboard"
  default_root_object = "index.html"
  price_class         = "PriceClass_100"
  http_version        = "http2and3"

  origin {
    origin_id                = "dashboard-bucket"
    domain_name              = aws_s3_bucket.dashboard[0].bucket_regional_domain_name
    origin_access_control_id = aws_cloudfront_origin_access_control.dashboard[0].id
  }

  default_cache_behavior {
    target_origin_id       = "dashboard-bucket"
    viewer_protocol_policy = "redirect-to-https"
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
    cache_policy_id        = data.aws_cloudfront_cache_policy.caching_optimized[0].id
    compress               = true
  }

  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }

  viewer_certificate {
    cloudfront_default_certificate = true
  }
}

data "aws_iam_policy_document" "dashboard_bucket" {
  count = var.enable_dashboard_site ? 1 : 0

  statement {
    sid       = "CloudFrontReads"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.dashboard[0].arn}/*"]

    principals {
      type        = "Service"
      identifiers = ["cloudfront.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "AWS:SourceArn"
      values   = [aws_cloudfront_distribution.dashboard[0].arn]
    }
  }

  statement {
    sid     = "DenyInsecureTransport"
    effect  = "Deny"
    actions = ["s3:*"]
    resources = [
      aws_s3_bucket.dashboard[0].arn,
      "${aws_s3_bucket.dashboard[0].arn}/*",
    ]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "dashboard" {
  count  = var.enable_dashboard_site ? 1 : 0
  bucket = aws_s3_bucket.dashboard[0].id
  policy = data.aws_iam_policy_document.dashboard_bucket[0].json

  depends_on = [aws_s3_bucket_public_access_block.dashboard]
}
