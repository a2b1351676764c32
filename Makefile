# telegram-lake: every entry point. `make help` lists the targets.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

PYTHON_BOOT ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
LAKE ?= .lake
CURATED_URI ?= $(LAKE)/curated
RAW_URI ?= $(LAKE)/raw
TIMEZONE ?= UTC
PORT ?= 8080
export PYSPARK_PYTHON := $(abspath $(PY))
export PYSPARK_DRIVER_PYTHON := $(abspath $(PY))
# Every local Spark JVM maps the class archive `make install` builds (devtools/class_archive.py):
# seconds less start-up per run. A missing or stale archive is skipped by the JVM.
CLASS_ARCHIVE := $(abspath $(VENV))/spark-classes.jsa
export SPARK_SUBMIT_OPTS += -XX:SharedArchiveFile=$(CLASS_ARCHIVE) -Xshare:auto -Xlog:cds=off -Xlog:cds+dynamic=off
# jsii (under aws-cdk-lib) prints a banner about the Node.js version on every synth. Node 20
# still runs the CDK; docs/deploy.md recommends 22+ for deploying.
export JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION := 1
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20

.PHONY: help install java-check check lint format test test-fast chaos demo etl privacy-key forget-user serve set-webhook \
	delete-webhook webhook-info query dashboard import-history export-user synth cfn-lint bootstrap deploy destroy set-webhook-deployed bench bench-quick browser screenshot clean

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[36m%-22s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

install: $(STAMP) ## Create/update .venv with the project and its dev/infra tools (idempotent)

$(STAMP): pyproject.toml
	@$(MAKE) java-check
	@command -v $(PYTHON_BOOT) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON_BOOT) not found)."; exit 1; }
	@test -x $(PY) || $(PYTHON_BOOT) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,infra]'
	$(PY) -m devtools.class_archive --force
	@touch $(STAMP)

java-check: ## Check that Java 17 (needed by Spark) is installed
	@v=$$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1); \
	if [ "$$v" != "17" ]; then \
	  echo "Spark (Glue 5.1) needs Java 17; found: '$${v:-none}'."; \
	  echo "  Debian/Ubuntu: sudo apt-get install -y openjdk-17-jre-headless"; \
	  echo "  macOS:         brew install openjdk@17 (then set JAVA_HOME)"; \
	  echo "  any OS:        https://adoptium.net (Temurin 17), or sdk install java 17-tem"; \
	  exit 1; fi

check: install ## Lint and type-check: ruff, ruff format --check, mypy, sqlfluff, cdk-nag + cfn-lint
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy lake ingest_lambda devtools glue_jobs athena_views dashboard privacy_tools samples bench scripts infra history_import
	$(VENV)/bin/sqlfluff lint athena_views
	@$(MAKE) cfn-lint

format: install ## Auto-format and auto-fix lint
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

test: install ## Run every test (unit, spark, integration, e2e, browser, infra; chaos but its slow part)
	@rc=0; $(PY) -m pytest -m "not slow_chaos" || rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests"; rc=0; fi; exit $$rc

chaos: install ## Run the whole fault-injection suite (attacks, crashes, hanging AWS), slow part included
	$(PY) -m pytest -m chaos

test-fast: install ## Run only the fast unit tests
	$(PY) -m pytest -m unit

demo: install ## Replay the sample through the webhook, run the Glue job, print the views, write the dashboard
	$(PY) -m scripts.demo --lake $(LAKE) --timezone $(TIMEZONE)

# The local zones `make etl` reads and writes (plain paths; any file:// or s3:// URI works).
RAW_ZONE ?= $(LAKE)/raw
QUARANTINE_ZONE ?= $(LAKE)/quarantine

etl: install ## Run the Glue job on the local lake: START=YYYY-MM-DD [END=YYYY-MM-DD]; no dates = the scheduled catch-up (PRIVACY_MODE, TEXT_POLICY, PRIVACY_KEY_URI)
	@if [ -n "$(END)" ] && [ -z "$(START)" ]; then \
	  echo "usage: make etl [START=YYYY-MM-DD [END=YYYY-MM-DD]]  (END needs START)"; exit 2; fi
	$(VENV)/bin/spark-submit --master "local[2]" --driver-memory 2g --conf spark.ui.enabled=false \
	  glue_jobs/telegram_etl.py --JOB_NAME telegram-lake-local \
	  --raw_uri "$(RAW_ZONE)" --curated_uri "$(CURATED_URI)" --quarantine_uri "$(QUARANTINE_ZONE)" \
	  $(if $(START),--start_date "$(START)" --end_date "$(or $(END),$(START))") \
	  $(if $(or $(PRIVACY_KEY_URI),$(wildcard $(PRIVACY_KEY))),--privacy_key_uri "$(or $(PRIVACY_KEY_URI),$(PRIVACY_KEY))") \
	  $(if $(PRIVACY_MODE),--privacy_mode "$(PRIVACY_MODE)") $(if $(TEXT_POLICY),--text_policy "$(TEXT_POLICY)")

# The local privacy key: pseudonyms and the register of forgotten people depend on it, so the
# Glue job and the erasure job use the same one. PRIVACY_KEY_URI (a key file, or
# secretsmanager:ARN of a deployed stack) wins over it when set.
PRIVACY_KEY ?= $(LAKE)/privacy.key

privacy-key: ## Create the local privacy key (PRIVACY_KEY, default .lake/privacy.key) unless it exists
	@if [ ! -s "$(PRIVACY_KEY)" ]; then \
	  mkdir -p "$$(dirname "$(PRIVACY_KEY)")"; \
	  (umask 077; $(PY) -c 'import secrets; print(secrets.token_hex(32))' > "$(PRIVACY_KEY)"); \
	  echo "created the privacy key $(PRIVACY_KEY)"; fi

forget-user: install ## Erase people from the local lake: USER_IDS=ID[,ID...] (raw, quarantine, curated, dashboard)
	@if ! [[ "$(USER_IDS)" =~ ^[0-9]+(,[0-9]+)*$$ ]]; then \
	  echo "usage: make forget-user USER_IDS=123456789[,987654321] [PRIVACY_KEY_URI=...]"; exit 2; fi
	@$(if $(PRIVACY_KEY_URI),true,$(MAKE) privacy-key)
	$(VENV)/bin/spark-submit --master "local[2]" --driver-memory 2g --conf spark.ui.enabled=false \
	  glue_jobs/forget_users.py --JOB_NAME telegram-lake-forget-users \
	  --raw_uri "$(RAW_ZONE)" --curated_uri "$(CURATED_URI)" --quarantine_uri "$(QUARANTINE_ZONE)" \
	  --privacy_key_uri "$(or $(PRIVACY_KEY_URI),$(PRIVACY_KEY))" --user_ids "$(USER_IDS)"
	@# The dashboard shows names: rebuilt from the erased lake, or it would keep theirs.
	@if [ -d "$(LAKE)/dashboard" ]; then $(MAKE) dashboard; fi

serve: install ## Run the local webhook server on 127.0.0.1 (PORT=8080; RAW_URI, WEBHOOK_SECRET from env)
	RAW_URI=$${RAW_URI:-file://$(abspath $(LAKE))/raw} $(PY) -m devtools.local_server --port $(PORT)

set-webhook: install ## Point a bot at URL=...  (TELEGRAM_BOT_TOKEN and WEBHOOK_SECRET from env)
	@test -n "$(URL)" || { echo "usage: make set-webhook URL=https://..."; exit 1; }
	$(PY) -m devtools.telegram_admin set-webhook --url "$(URL)"

delete-webhook: install ## Detach the bot's webhook (TELEGRAM_BOT_TOKEN from env)
	$(PY) -m devtools.telegram_admin delete-webhook

webhook-info: install ## Show Telegram's getWebhookInfo for the bot (TELEGRAM_BOT_TOKEN from env)
	$(PY) -m devtools.telegram_admin webhook-info

query: install ## Run SQL="..." on the local lake through the Athena views (DuckDB)
	@test -n "$(SQL)" || { echo 'usage: make query SQL="select * from daily_activity"'; exit 1; }
	$(PY) -m athena_views query "$(SQL)" --curated-uri $(CURATED_URI) --timezone $(TIMEZONE)

dashboard: install ## Write the HTML dashboard of the local lake to .lake/dashboard/
	$(PY) -m dashboard --curated-uri $(CURATED_URI) --out $(LAKE)/dashboard --timezone $(TIMEZONE)

import-history: install ## Import a Telegram Desktop export: EXPORT=result.json [CHAT=id|name] [EXPORT_TIMEZONE=zone]
	@test -n "$(EXPORT)" || { echo "usage: make import-history EXPORT=path/to/result.json [CHAT=...] [EXPORT_TIMEZONE=Europe/Berlin]"; exit 1; }
	$(PY) -m history_import "$(EXPORT)" --raw_uri "$(RAW_URI)" --curated_uri "$(CURATED_URI)" \
	  $(if $(CHAT),--chat "$(CHAT)") $(if $(EXPORT_TIMEZONE),--timezone "$(EXPORT_TIMEZONE)") $(IMPORT_ARGS)

# The privacy key of a pseudonymous lake: a key file, or secretsmanager:ARN (deployed stack).
PRIVACY_KEY_URI ?=

export-user: install ## Everything the lake holds about USER_ID=... as JSON (OUT=file; PRIVACY_KEY_URI=... if pseudonymous)
	@test -n "$(USER_ID)" || { echo "usage: make export-user USER_ID=123456789 [OUT=file.json] [PRIVACY_KEY_URI=...]"; exit 2; }
	$(PY) -m privacy_tools export-user --user-id "$(USER_ID)" --curated-uri "$(CURATED_URI)" \
	  --out "$(or $(OUT),$(LAKE)/exports/user-$(USER_ID).json)" \
	  $(if $(PRIVACY_KEY_URI),--privacy-key-uri "$(PRIVACY_KEY_URI)")

screenshot: install ## Re-take docs/dashboard.png from .lake/dashboard (needs chromium)
	$(PY) -m dashboard.screenshot --page $(LAKE)/dashboard/index.html --out docs/dashboard.png

CDK = cd infra && PATH="$(CURDIR)/$(VENV)/bin:$$PATH" npx --yes aws-cdk@2

synth: install ## Synthesize the CloudFormation template into infra/cdk.out (fails on cdk-nag findings)
	$(PY) -m infra.app

cfn-lint: synth ## Lint the synthesized template with cfn-lint
	$(VENV)/bin/cfn-lint infra/cdk.out/*.template.json

bootstrap: install ## One-time CDK bootstrap of the AWS account/region (npx aws-cdk@2)
	$(CDK) bootstrap

deploy: install ## Deploy the stack (CDK_ARGS="-c views_timezone=... -c alarm_email=...")
	$(CDK) deploy $(CDK_ARGS)

destroy: install ## Delete the stack (raw and curated buckets are retained by default)
	$(CDK) destroy $(CDK_ARGS)

set-webhook-deployed: install ## Point the bot at the deployed Function URL (TELEGRAM_BOT_TOKEN from env)
	$(PY) -m infra.post_deploy set-webhook

bench: install ## Run the benchmark suite (long) and write bench/RESULTS.md
	$(PY) -m bench

bench-quick: install ## A few-minute benchmark run
	$(PY) -m bench --quick

browser: ## Install Debian's chromium for the browser tests (root, apt)
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

clean: ## Remove the local lake, caches and build output (keeps .venv)
	rm -rf $(LAKE) .pytest_cache .mypy_cache .ruff_cache .hypothesis cdk.out infra/cdk.out build *.egg-info
	find . -name __pycache__ -type d -prune -not -path './.venv/*' -exec rm -rf {} +
