"""Local HTML dashboard over the Athena views (see `dashboard.build.build_dashboard`)."""

from __future__ import annotations

from dashboard.build import build_dashboard

__all__ = ["build_dashboard"]
