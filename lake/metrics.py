"""The webhook's CloudWatch metric names, shared by the handler (EMF) and the alarms (CDK).

Reads and writes nothing.
"""

from __future__ import annotations

NAMESPACE = "TelegramLake"
