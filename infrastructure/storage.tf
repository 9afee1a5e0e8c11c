# The data lake: uploads/, processed/, rejected/, analysis/, reports/, quicksight/ (shared/DESIGN.md, Storage).
resource "aws_s3_bucket" "data" {
  bucket = local.bucket_name
}

resource "aws_s3_bucket_ownership_controls" "data" {
  bucket = aws_s3_bucket.data.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "data" {
  bucket                  = aws_s3_bucket.data.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

# Versioned so that a corrected re-upload never destroys the file it replaces.
resource "aws_s3_bucket_versioning" "data" {
  bucket = aws_s3_bucket.data.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "data" {
  bucket = aws_s3_bucket.data.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = var.kms_key_arn == null ? "AES256" : "aws:kms"
      kms_master_key_id = var.kms_key_arn
    }
    # S3 Bucket Keys cut KMS requests (and their cost) by caching a data key per bucket.
    bucket_key_enabled = var.kms_key_arn != null
  }
}

data "aws_iam_policy_document" "data_bucket" {
  statement {
    sid     = "DenyInsecureTransport"
    effect  = "Deny"
    actions = ["s3:*"]
    resources = [
      aws_s3_bucket.data.arn,
      "${aws_s3_bucket.data.arn}/*",
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

resource "aws_s3_bucket_policy" "data" {
  bucket = aws_s3_bucket.data.id
  policy = data.aws_iam_policy_document.data_bucket.json

  # A bucket policy written before the public access block can be rejected as public.
  depends_on = [aws_s3_bucket_public_access_block.data]
}

# Object Created events go to EventBridge, where a rule starts upload-processor for keys under uploads/.
resource "aws_s3_bucket_notification" "data" {
  bucket      = aws_s3_bucket.data.id
  eventbridge = true
}

resource "aws_s3_bucket_cors_configuration" "data" {
  count  = length(local.cors_origins) > 0 ? 1 : 0
  bucket = aws_s3_bucket.data.id

  # Browsers PUT store files to presigned URLs and GET downloads; nothing else crosses origins.
  cors_rule {
    allowed_methods = ["PUT", "GET", "HEAD"]
    allowed_origins = local.cors_origins
    allowed_headers = ["content-type", "content-md5", "x-amz-*"]
    expose_headers  = ["ETag"]
    max_age_seconds = 3600
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "data" {
  bucket = aws_s3_bucket.data.id

  rule {
    id     = "uploads-to-intelligent-tiering"
    status = "Enabled"

    filter {
      prefix = "uploads/"
    }

    # Raw uploads are read once by process-upload and rarely after; the lake keeps the queryable copy.
    transition {
      days          = 30
      storage_class = "INTELLIGENT_TIERING"
    }
  }

  rule {
    id     = "expire-noncurrent-versions"
    status = "Enabled"

    filter {}

    noncurrent_version_expiration {
      noncurrent_days = var.noncurrent_version_expiration_days
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }

  rule {
    id     = "expire-athena-results"
    status = "Enabled"

    filter {
      prefix = "athena-results/"
    }

    expiration {
      days = 30
    }
  }

  rule {
    id     = "expire-analysis-intermediates"
    status = "Enabled"

    filter {
      prefix = "analysis/"
    }

    # The daily analysis passes its steps' results through these files (one set per revision); what lasts is in
    # DynamoDB, reports/ and quicksight/, so a month is plenty for investigating a run.
    expiration {
      days = 35
    }
  }

  depends_on = [aws_s3_bucket_versioning.data]
}

# Both tables are encrypted at rest with the AWS-owned key (DynamoDB's default, no KMS charges).

# Single table (shared/DESIGN.md, Storage): store summaries, company and product metrics, insights, day status.
resource "aws_dynamodb_table" "sales" {
  name         = "${var.project_name}-sales"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "PK"
  range_key    = "SK"

  attribute {
    name = "PK"
    type = "S"
  }

  attribute {
    name = "SK"
    type = "S"
  }

  attribute {
    name = "GSI1PK"
    type = "S"
  }

  attribute {
    name = "GSI1SK"
    type = "S"
  }

  # Every store (and the company) for one date: DATE#<date> -> STORE#<id> | COMPANY.
  global_secondary_index {
    name            = "GSI1"
    hash_key        = "GSI1PK"
    range_key       = "GSI1SK"
    projection_type = "ALL"
  }

  # Analytics job records and cached results carry `expires_at` (epoch seconds); nothing else does, so nothing else expires.
  ttl {
    attribute_name = "expires_at"
    enabled        = true
  }

  point_in_time_recovery {
    enabled = true
  }
}

# Powertools idempotency records; DynamoDB deletes them some time after `expiration` (readers filter on it too).
resource "aws_dynamodb_table" "idempotency" {
  name         = "${var.project_name}-idempotency"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"

  attribute {
    name = "id"
    type = "S"
  }

  ttl {
    attribute_name = "expiration"
    enabled        = true
  }
}
