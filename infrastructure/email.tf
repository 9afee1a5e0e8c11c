# The daily report by email (Amazon SES v2), besides the report topic: generate-report sends one HTML message per
# date and revision to var.report_email_recipients, from var.report_email_sender. See docs/deployment.md for the
# identity's verification and the SES sandbox.

locals {
  report_email_enabled = length(var.report_email_recipients) > 0
  # The identity that authorises the sender: given, or the sender address itself.
  report_email_identity = var.report_email_identity != null ? lower(var.report_email_identity) : lower(coalesce(var.report_email_sender, "unset@invalid.example"))
  # Built from the name: with create_report_email_identity = false the identity is not in this state.
  report_email_identity_arn = "arn:${local.partition}:ses:${var.aws_region}:${local.account_id}:identity/${local.report_email_identity}"
}

resource "aws_sesv2_email_identity" "report" {
  count          = local.report_email_enabled && var.create_report_email_identity ? 1 : 0
  email_identity = local.report_email_identity
}

# Cross-variable rules of the email settings, checked at plan time.
resource "terraform_data" "report_email_settings" {
  count = local.report_email_enabled ? 1 : 0
  input = local.report_email_identity

  lifecycle {
    precondition {
      condition     = var.report_email_sender != null
      error_message = "report_email_recipients needs report_email_sender: the address the report is sent from."
    }
    precondition {
      condition = var.report_email_sender == null || (
        lower(coalesce(var.report_email_sender, "-")) == local.report_email_identity ||
        endswith(lower(coalesce(var.report_email_sender, "-")), "@${local.report_email_identity}")
      )
      error_message = "report_email_sender must be the address report_email_identity names, or an address at that domain: SES sends only as a verified identity."
    }
  }
}
