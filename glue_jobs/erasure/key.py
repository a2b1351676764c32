"""Reading the privacy key once: a local key file, or a Secrets Manager secret on AWS.

Reads `file://...` / a plain path, or `secretsmanager:NAME_OR_ARN` (boto3
`get_secret_value`); writes nothing. The key never reaches a log line or an error message.
"""

from __future__ import annotations

from typing import Any

from lake.privacy import PrivacyKeyError, validate_key
from lake.uri import UriError, local_path

SECRETS_MANAGER_PREFIX = "secretsmanager:"


def read_privacy_key(uri: str, *, secretsmanager: Any | None = None) -> str:
    """The privacy key (stripped, checked); PrivacyKeyError saying where it could not be read."""
    if uri.startswith(SECRETS_MANAGER_PREFIX):
        secret_id = uri.removeprefix(SECRETS_MANAGER_PREFIX)
        if not secret_id:
            raise PrivacyKeyError("secretsmanager: needs a secret name or ARN")
        if secretsmanager is None:
            import boto3  # noqa: PLC0415 (only AWS runs need it)

            secretsmanager = boto3.client("secretsmanager")
        try:
            value = secretsmanager.get_secret_value(SecretId=secret_id).get("SecretString")
        except Exception as error:  # botocore ClientError: missing, no permission, ...
            raise PrivacyKeyError(
                f"cannot read the privacy key secret {secret_id!r}: {type(error).__name__} "
                f"({getattr(error, 'response', {}).get('Error', {}).get('Code', 'no code')})"
            ) from None
        if not isinstance(value, str):
            raise PrivacyKeyError(f"the privacy key secret {secret_id!r} holds no text")
        return validate_key(value)
    try:
        path = local_path(uri)
    except UriError as error:
        raise PrivacyKeyError(f"cannot read the privacy key at {uri!r}: {error}") from None
    if not path.is_file():
        raise PrivacyKeyError(
            f"no privacy key file at {path} (`make privacy-key` creates one; it must be the "
            "key the Glue job uses)"
        )
    try:
        return validate_key(path.read_text("utf-8"))
    except UnicodeDecodeError:
        raise PrivacyKeyError(f"the privacy key file {path} is not text") from None
