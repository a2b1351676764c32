"""The erasure job's parts (entry script: `glue_jobs/forget_users.py`; flow: `.job.run`).

`people` (who is forgotten, and how their traces are recognised and masked), `scrub` (one
raw update or file, pure Python), `stores` (raw objects and their S3 versions), `search`
(Spark scans that find what to rewrite), `curated` (the curated tables' rewrite), `records`
(register, audit record, request), `job` (the order of operations).
"""
