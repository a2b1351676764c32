"""The bundled Telegram Desktop export (`result.json`) and how Bot API messages are written
in Telegram Desktop's export format (`samples.history.export_format`). Reads and writes
nothing; the generator is `samples.history_export`."""
