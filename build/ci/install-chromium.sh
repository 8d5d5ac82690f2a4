#!/usr/bin/env bash
# Installs Debian's chromium when it is missing: the HTML resilience report is opened in headless Chromium by
# tests/Killswitch.Chaos.Tests (Reporting/HtmlReportBrowserTests), which fail in CI (CI=true) without it.
# Idempotent; prints the version it found or installed.
set -euo pipefail
if ! command -v chromium >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
chromium --version
