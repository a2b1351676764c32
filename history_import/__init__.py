"""The Telegram Desktop history importer: a chat's past, before the bot joined, into the lake.

Reads a Telegram Desktop "Export chat history" machine-readable JSON (`result.json` of one
chat, or a full-account export with `chats.list`), streamed with bounded memory; optionally
the curated `messages` table or the raw zone (to find the first message the bot saw in a
basic group or private chat) and its own register under `{raw_uri}/_imports/`. Writes Bot
API-shaped Updates as gzip NDJSON parts under `{raw_uri}/dt={import date UTC}/` (a batch
source the Glue job reads like any other) and one register entry per imported chat.

`python -m history_import EXPORT_JSON --raw_uri URI` (see `history_import.__main__`);
`history_import.importer.run_import` from Python. The mapping, field by field, is in
docs/history-import.md.
"""
