"""Telegram webhook: authenticate each update and store it untouched in the raw zone.

Lambda entry point: `ingest_lambda.handler.handler`. Nothing is imported here on purpose:
the Lambda's cold start pays only for what the handler needs.
"""
