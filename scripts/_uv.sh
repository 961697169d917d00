# Sourced by scripts/run and scripts/test: find uv, or install it with pip (a fresh machine has only
# Python 3.11 and pip), then sync the locked environment. The caller sets SYNC to what it needs: by default
# everything (the development tools and the production extra, for the tests); scripts/run asks for the
# product alone. Commands then run with `run --no-sync`, in the environment synced here.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if command -v uv >/dev/null 2>&1; then
  UV=(uv)
else
  python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet --disable-pip-version-check uv
  UV=(python3 -m uv)
fi
read -r -a sync_args <<< "${SYNC:---all-extras}"
"${UV[@]}" sync --frozen --quiet "${sync_args[@]}"
