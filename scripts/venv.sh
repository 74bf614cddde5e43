# Sourced by scripts/run and scripts/test: create .venv and install a requirements
# file into it, once per change of that file.
PYTHON="${PYTHON:-$(command -v python3.11 || command -v python3)}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
  .venv/bin/python -m pip install --quiet --upgrade pip
fi
stamp=".venv/.installed-$(basename "$1")-$(cat "$@" requirements.txt 2>/dev/null | sha1sum | cut -c1-12)"
if [ ! -e "$stamp" ]; then
  echo "Installing $1 into .venv ..."
  .venv/bin/python -m pip install --quiet -r "$1"
  touch "$stamp"
fi
