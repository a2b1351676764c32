"""Developer tools around the webhook: the local server and the Telegram admin CLI.

Run as `python -m devtools.local_server` and `python -m devtools.telegram_admin ...`. They
import the webhook's runtime code (`ingest_lambda`), never the other way round, and are not
part of the deployed Lambda asset. Nothing is imported here.
"""
