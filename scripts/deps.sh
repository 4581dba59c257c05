# Sourced by the run and test scripts: installs missing Debian packages, as root or through sudo.
ensure_apt_packages() {
    local missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "Installing missing packages: ${missing[*]}" >&2
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || { echo "Please install as root: apt-get install ${missing[*]}" >&2; return 1; }
        sudo="sudo"
    fi
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Development and CI keep the YOLOX model in ../shared/models; real installs configure Detection:ModelPath.
use_shared_model_if_present() {
    local shared_model
    shared_model="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/shared/models/yolox_nano.onnx"
    if [ -z "${Detection__ModelPath:-}" ] && [ -f "$shared_model" ]; then
        export Detection__ModelPath="$shared_model"
    fi
}
