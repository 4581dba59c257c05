# Sourced (from the repository root) by the bench scripts: sets work, a scratch folder that is removed on exit together
# with the app at app_pid if the script starts one.
work="$(mktemp -d)"
app_pid=""
trap '[ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null; rm -rf "$work"' EXIT
