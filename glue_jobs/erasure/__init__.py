"""The erasure job's parts (entry script: `glue_jobs/forget_users.py`; flow: `.job.run`).

`config` (arguments and their checks), `key` (the privacy key), `people` (who is forgotten,
how their traces are recognised and masked), `scrub` (one raw update or file, pure Python),
`stores` (raw objects and their S3 versions), `search` (Spark scans that find who and
where), `rewrite` (the driver's rewrite of raw objects and quarantine files), `curated` (the
curated tables' rewrite), `records` (register, audit record, request), `job` (the order of
operations). docs/privacy-erasure.md explains the rules.
"""
