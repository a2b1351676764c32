"""Privacy tools for the lake's owner: answer a person's access request (`export-user`).

A developer tool, outside the Lambda asset and the Glue zip: it runs on the owner's machine
against a curated zone (a local folder, or a copy of the deployed one). Erasure is a Glue
job of its own (`glue_jobs/forget_users.py`, `make forget-user`).
"""
