"""The bundled Telegram webhook sample and its deterministic generator (see README.md)."""
