#!/usr/bin/env bash
# Debian packages the tests and the documents need: Chromium for the console's browser tests, the CJK
# fonts for generated PDFs, LibreOffice Writer headless (soffice: DOCX → PDF of the generated documents, one
# Word template for both formats), poppler-utils (pdftotext, pdftoppm) to check them. Installs only what is
# missing; needs root (CI runs as root) or prints what to install.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
fc-list 2>/dev/null | grep -i "Noto Sans CJK" >/dev/null || need+=(fonts-noto-cjk)  # no -q: fc-list must not get SIGPIPE (pipefail)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui)
command -v kubectl >/dev/null 2>&1 || need+=(kubectl)  # `kubectl kustomize` renders deploy/k8s in the deploy tests
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "missing Debian packages: ${need[*]} — install them with: sudo apt-get install ${need[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -q --no-install-recommends "${need[@]}" || { apt-get update -q && apt-get install -y -q --no-install-recommends "${need[@]}"; }
