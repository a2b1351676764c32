"""URI helpers: every path of the lake is a URI parameter.

`s3://bucket/prefix` on AWS; `file:///abs`, `file://./rel`, `file://localhost/abs` or a
plain path locally. Reads and writes nothing.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

S3_SCHEMES: tuple[str, ...] = ("s3", "s3a", "s3n")
FILE_SCHEME = "file"


class UriError(ValueError):
    """A URI that does not name what the caller needs (a bucket, a local path, ...)."""


def uri_scheme(uri: str) -> str:
    """Lower-case scheme of a URI; `file` for a plain path (no `scheme://`)."""
    if "://" not in uri:
        return FILE_SCHEME
    return uri.split("://", 1)[0].lower()


def is_s3_uri(uri: str) -> bool:
    return uri_scheme(uri) in S3_SCHEMES


def join_uri(base: str, *parts: str) -> str:
    """`base/part/part` without doubling slashes; never adds or changes a scheme."""
    return "/".join([base.rstrip("/"), *(part.strip("/") for part in parts if part.strip("/"))])


def split_s3_uri(uri: str) -> tuple[str, str]:
    """`s3://bucket/a/b/` -> ("bucket", "a/b"); the prefix has no leading/trailing slash."""
    if not is_s3_uri(uri):
        raise UriError(f"not an s3:// URI: {uri!r}")
    rest = uri.split("://", 1)[1]
    bucket, _, prefix = rest.partition("/")
    if not bucket:
        raise UriError(f"no bucket in {uri!r}")
    return bucket, prefix.strip("/")


def local_path(uri: str) -> Path:
    """`file:///abs`, `file://./rel`, `file://localhost/abs` or a plain path -> absolute Path.

    Relative paths resolve against the current working directory. A `file://` URI naming
    another host is refused.
    """
    if uri_scheme(uri) != FILE_SCHEME:
        raise UriError(f"not a local path or file:// URI: {uri!r}")
    if "://" in uri:
        path = unquote(uri.split("://", 1)[1])
        if path.startswith("localhost/"):
            path = path.removeprefix("localhost")
        elif path and not path.startswith(("/", ".", "~")):
            raise UriError(f"file URI with a remote host is not supported: {uri!r}")
    else:
        path = uri
    if not path:
        raise UriError(f"empty path in {uri!r}")
    return Path(path).expanduser().resolve()
