"""Privacy in the Glue job: pseudonymous mode, `--text_policy drop`, forgotten people.

Reads the privacy key (`lake.keys`: a local file, or a Secrets Manager secret) and the register
of forgotten people (`lake.zones.forgotten_register_uri`); writes nothing. The pseudonym is
`lake.privacy.pseudonym`, computed here with native Spark functions (SHA-256, no UDF), so
that the curated rows, the erasure job and the access export agree.

- `protect_rows`: what a table's incoming rows keep under the run's settings (applied
  before the merge, so the merge keys are pseudonyms too in pseudonymous mode);
- `is_forgotten` / `without_forgotten`: the updates of forgotten people are dropped (and
  counted as `forgotten`); references to them in other people's rows are removed.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from pyspark.sql import Column, DataFrame, SparkSession
from pyspark.sql import functions as F  # noqa: N812 (the PySpark convention)

from glue_jobs.fs import HadoopFs
from glue_jobs.outcomes import KIND_FORGOTTEN, TABLE_KINDS
from lake.keys import read_key
from lake.privacy import (
    CHAT_ID_COLUMNS,
    PERSON_ID_COLUMNS,
    PERSON_NAME_COLUMNS,
    PRIVACY_PSEUDONYMOUS,
    PSEUDONYM_HEX_DIGITS,
    TEXT_COLUMNS,
    TEXT_DROP,
    ForgottenRegister,
)
from lake.zones import forgotten_register_uri

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Privacy:
    """The run's privacy settings, with the key and the forgotten people's pseudonyms."""

    mode: str
    text_policy: str
    key: str | None = None
    forgotten: frozenset[int] = field(default_factory=frozenset)

    @property
    def pseudonymous(self) -> bool:
        return self.mode == PRIVACY_PSEUDONYMOUS

    def pseudonym(self, person_id: Column) -> Column:
        """`lake.privacy.pseudonym` of a bigint column, natively (null stays null)."""
        if self.key is None:
            raise ValueError("no privacy key")
        digest = F.sha2(F.concat(F.lit(f"{self.key}:"), person_id.cast("string")), 256)
        hex_prefix = F.substring(digest, 1, PSEUDONYM_HEX_DIGITS)
        return F.when(person_id.isNotNull(), F.conv(hex_prefix, 16, 10).cast("bigint"))

    def is_forgotten(self, person_id: Column) -> Column:
        """The column holds a forgotten person's id (false when nobody is forgotten)."""
        if not self.forgotten:
            return F.lit(False)
        return F.coalesce(self.pseudonym(person_id).isin(*sorted(self.forgotten)), F.lit(False))


def load_privacy(
    spark: SparkSession,
    fs: HadoopFs,
    *,
    curated_uri: str,
    mode: str,
    text_policy: str,
    key_uri: str | None,
) -> Privacy:
    """The run's settings; fails clearly when the mode or the register needs a key."""
    key = read_key(key_uri) if key_uri else None
    register = forgotten_register_uri(curated_uri)
    forgotten: frozenset[int] = frozenset()
    if fs.exists(register):
        if key is None:
            raise ValueError("--privacy_key_uri is needed: people were forgotten")
        forgotten = ForgottenRegister.from_document(fs.read_json(register), key).pseudonyms
    if key is None and mode == PRIVACY_PSEUDONYMOUS:
        raise ValueError("--privacy_key_uri is needed: pseudonymous mode")
    if key is not None:
        # Spark prints literals in plans (UI, event logs, explain): redact the key there.
        spark.conf.set("spark.sql.redaction.string.regex", re.escape(key))
    if forgotten:
        logger.info("%d forgotten people: their updates are dropped", len(forgotten))
    return Privacy(mode=mode, text_policy=text_policy, key=key, forgotten=forgotten)


def protect_rows(rows: DataFrame, table: str, privacy: Privacy) -> DataFrame:
    """A table's incoming rows under the run's settings.

    References to forgotten people in other people's rows go (a forward of their message
    loses its text, which is theirs); in pseudonymous mode people's ids (and private chats'
    ids, which are people's) become pseudonyms and names are not stored; with
    `--text_policy drop` no text is stored (lengths and word counts stay).
    """
    person_columns = [name for name in PERSON_ID_COLUMNS.get(table, ()) if name in rows.columns]
    replaced: dict[str, Column] = {}
    if privacy.forgotten:
        for name in person_columns:
            if name != "user_id":  # the subject's own rows were dropped before
                replaced[name] = F.when(~privacy.is_forgotten(F.col(name)), F.col(name))
        if "forward_from_user_id" in rows.columns and "text" in rows.columns:
            replaced["text"] = F.when(
                ~privacy.is_forgotten(F.col("forward_from_user_id")), F.col("text")
            )
    if privacy.text_policy == TEXT_DROP:
        for name in TEXT_COLUMNS.get(table, ()):
            replaced[name] = F.lit(None).cast("string")
    if privacy.pseudonymous:
        for name in person_columns:
            replaced[name] = privacy.pseudonym(replaced.get(name, F.col(name)))
        for name in CHAT_ID_COLUMNS.get(table, ()):
            replaced[name] = F.when(F.col(name) > 0, privacy.pseudonym(F.col(name))).otherwise(
                F.col(name)
            )
        for name in PERSON_NAME_COLUMNS.get(table, ()):
            replaced[name] = F.lit(None).cast("string")
    if not replaced:
        return rows
    return rows.select(
        *[replaced[name].alias(name) if name in replaced else F.col(name) for name in rows.columns]
    )


def forgotten_subject(updates: DataFrame, privacy: Privacy) -> Column:
    """A flat update whose subject is a forgotten person: who sent it, reacted, asked to
    join, or every member it reports; or a private chat with them."""
    if not privacy.forgotten:
        return F.lit(False)
    members = F.col("members")
    every_member = F.coalesce(
        F.size(members) > 0,
        F.lit(False),
    ) & F.forall(members, lambda member: privacy.is_forgotten(member["user_id"]))
    return (
        privacy.is_forgotten(F.col("user_id"))
        | privacy.is_forgotten(F.col("actor_user_id"))
        | ((F.col("chat_id") > 0) & privacy.is_forgotten(F.col("chat_id")))
        | F.coalesce(every_member, F.lit(False))
    )


def without_forgotten_members(members: Column, privacy: Privacy) -> Column:
    """A member list without the forgotten people in it."""
    if not privacy.forgotten:
        return members
    return F.filter(members, lambda member: ~privacy.is_forgotten(member["user_id"]))


def mark_forgotten(updates: DataFrame, privacy: Privacy) -> DataFrame:
    """Flat updates -> the lines about forgotten people become the outcome `forgotten`.

    They feed no table (counted in the run summary, I1 holds); forgotten people also leave
    the member lists of other updates.
    """
    if not privacy.forgotten:
        return updates
    forgotten = F.col("kind").isin(*TABLE_KINDS) & forgotten_subject(updates, privacy)
    return updates.select(
        *[
            F.when(forgotten, F.lit(KIND_FORGOTTEN)).otherwise(F.col("kind")).alias("kind")
            if name == "kind"
            else F.when(~forgotten, F.col("target")).alias("target")
            if name == "target"
            else without_forgotten_members(F.col("members"), privacy).alias("members")
            if name == "members"
            else F.col(name)
            for name in updates.columns
        ]
    )
