"""Read the privacy key that pseudonymous mode and the register of forgotten people use.

Shared by the Glue jobs and the privacy tools. Reads one secret: a local key file (a plain
path or a `file://` URI), or a Secrets Manager secret named `secretsmanager:NAME_OR_ARN`
(the form the stack passes to the Glue jobs as `--privacy_key_uri`). Writes nothing. The
key is validated by `lake.privacy.validate_key` and never printed.
"""

from __future__ import annotations

from typing import Any

from lake.privacy import PrivacyKeyError, validate_key
from lake.uri import FILE_SCHEME, UriError, local_path, uri_scheme

SECRETS_MANAGER_PREFIX = "secretsmanager:"
_ARN_PREFIX = "arn:"
# arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME: the region is the fourth field.
_ARN_REGION_FIELD = 3


def secret_region(secret_id: str) -> str | None:
    """The region of a secret ARN (None for a plain name: the default region applies)."""
    if not secret_id.startswith(_ARN_PREFIX):
        return None
    fields = secret_id.split(":")
    return fields[_ARN_REGION_FIELD] if len(fields) > _ARN_REGION_FIELD + 1 else None


def read_key(uri: str, *, secretsmanager: Any = None) -> str:
    """The privacy key behind `uri`; PrivacyKeyError (naming the URI, not the key) if unusable.

    `secretsmanager` is a boto3 Secrets Manager client; by default one is made in the
    secret ARN's region (or the default region for a name).
    """
    if uri.startswith(SECRETS_MANAGER_PREFIX):
        secret_id = uri.removeprefix(SECRETS_MANAGER_PREFIX)
        if not secret_id:
            raise PrivacyKeyError("the privacy key URI names no secret: secretsmanager:<ARN>")
        if secretsmanager is None:
            import boto3  # noqa: PLC0415 (only when the key is in AWS)

            secretsmanager = boto3.client("secretsmanager", region_name=secret_region(secret_id))
        try:
            response = secretsmanager.get_secret_value(SecretId=secret_id)
        except Exception as exc:
            raise PrivacyKeyError(
                f"cannot read the privacy key secret {secret_id}: {type(exc).__name__}: {exc}"
            ) from exc
        secret = response.get("SecretString")
        if not isinstance(secret, str):
            raise PrivacyKeyError(f"the secret {secret_id} holds no text (SecretString)")
        return validate_key(secret)
    if uri_scheme(uri) != FILE_SCHEME:
        raise PrivacyKeyError(
            f"the privacy key must be a local key file or secretsmanager:<ARN>, not {uri}"
        )
    try:
        path = local_path(uri)
        text = path.read_text("utf-8")
    except FileNotFoundError as exc:
        raise PrivacyKeyError(
            f"no privacy key file at {uri} (make one with `make privacy-key`)"
        ) from exc
    except (OSError, UnicodeDecodeError, UriError) as exc:
        raise PrivacyKeyError(f"cannot read the privacy key file {uri}: {exc}") from exc
    return validate_key(text)
