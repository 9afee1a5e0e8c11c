terraform {
  # 1.6 is the oldest release with everything used here: optional object attributes, strcontains(), startswith().
  required_version = ">= 1.6"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.80, < 7.0"
    }
  }

  # Partial configuration: the state bucket, key and region come from `terraform init -backend-config=backend.hcl`
  # (see backend.hcl.example), so that two stacks never share a state file by accident. CI runs
  # `terraform init -backend=false`, which ignores this block.
  backend "s3" {}
}

provider "aws" {
  region = var.aws_region

  default_tags {
    tags = merge(
      {
        Project   = var.project_name
        ManagedBy = "terraform"
      },
      var.tags,
    )
  }
}

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}
