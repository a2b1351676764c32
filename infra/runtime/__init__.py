"""Code that runs in AWS Lambda (custom resource handlers); stdlib + boto3 only."""
