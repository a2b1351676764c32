"""Lazy boto3 client creation: the file sink and local runs never import boto3.

Reads AWS configuration the usual boto3 way (env, instance role). Writes nothing.
"""

from __future__ import annotations

from typing import Any


def client(service: str) -> Any:
    """A boto3 client for `service`; boto3 is imported on first use (~100+ ms)."""
    import boto3  # noqa: PLC0415  # deliberate: keeps the cold import of the handler small

    return boto3.client(service)
