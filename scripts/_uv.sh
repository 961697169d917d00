# Sourced by scripts/run and scripts/test: find uv, or install it with pip (a fresh machine has only
# Python 3.11 and pip), then sync the locked environment.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if command -v uv >/dev/null 2>&1; then
  UV=(uv)
else
  python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet --disable-pip-version-check uv
  UV=(python3 -m uv)
fi
"${UV[@]}" sync --frozen --quiet
