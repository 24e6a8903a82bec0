# Shared by bin/run and bin/test: check system libraries, then create and fill the virtualenv.

need_system_packages() {
    local missing=()
    for pair in "libpango-1.0-0:libpango-1.0.so.0" "libpangoft2-1.0-0:libpangoft2-1.0.so.0" \
                "libharfbuzz-subset0:libharfbuzz-subset.so.0" "$@"; do
        local package=${pair%%:*} file=${pair#*:}
        if [[ $file == /* ]]; then
            [ -e "$file" ] || missing+=("$package")
        else
            # Not "ldconfig -p | grep -q": with pipefail, grep's early exit can fail the pipeline.
            grep -q "$file" <(ldconfig -p 2>/dev/null) || missing+=("$package")
        fi
    done
    if [ ${#missing[@]} -gt 0 ]; then
        echo "This machine lacks system packages the app needs (WeasyPrint's Pango, the test browser):" >&2
        echo "  sudo apt-get install --no-install-recommends ${missing[*]}" >&2
        exit 1
    fi
}

prepare_venv() {
    local extras=$1
    need_system_packages
    if ! command -v python3.11 >/dev/null && ! python3 -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
        echo "Python 3.11 is needed (python3 here is $(python3 --version 2>&1))." >&2
        exit 1
    fi
    local python=python3
    command -v python3.11 >/dev/null && python=python3.11
    [ -x .venv/bin/python ] || "$python" -m venv .venv
    local stamp=".venv/.installed$extras"
    if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
        .venv/bin/pip install -q --upgrade pip
        .venv/bin/pip install -q -e ".$extras"
        touch "$stamp"
    fi
}
