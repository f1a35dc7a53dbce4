#!/usr/bin/env bash
# Installs the Debian 12 packages that building, testing and demoing Huinong POS need.
# Only missing packages are installed; `apt-get update` runs once, and only if something is
# missing. Uses sudo when not root (and sudo exists). Safe to run again.
set -euo pipefail

packages=(
  # Build tool chain
  build-essential cmake pkg-config git gettext
  # Libraries (DESIGN.md "Chosen dependencies")
  libwxgtk3.2-dev      # counter GUI
  wx3.2-i18n           # wxWidgets' own zh_CN catalog: OK/Cancel/Yes/No in Chinese (wxstd-3.2.mo)
  libsqlite3-dev       # terminal database
  libcurl4-openssl-dev # provincial system client
  libzxing-dev         # label-card barcode decoding
  libssl-dev           # hashes, signatures, encryption at rest
  nlohmann-json3-dev   # JSON
  libcpp-httplib-dev   # sandbox HTTP server
  catch2               # unit tests
  libstb-dev           # image files (PNG, JPEG, PGM) for barcode decoding, stb_image
  libcairo2-dev libpango1.0-dev  # A4 invoices as PDF, Chinese font embedded
  # Command-line tools used by tests and the demo
  sqlite3 openssl ca-certificates
  # GUI tests and screenshots under a virtual display, with Chinese fonts
  xvfb xauth xdotool imagemagick fonts-wqy-zenhei
  libx11-dev           # the GUI tests give typed 汉字 a keycode of their own
  # Printer tests read the A4 PDF back (pdftotext, pdftoppm, pdffonts)
  poppler-utils
  libtesseract-dev tesseract-ocr-chi-sim tesseract-ocr-eng  # ID card / 户口簿 OCR (hardware/document)
  # The report CSV opened by LibreOffice headless (soffice --convert-to), as Excel would
  libreoffice-calc-nogui
  # mTLS front for the sandbox, socket plumbing in integration tests
  nginx socat
  # The package test (packaging/deb_test.sh): the man pages rendered, the desktop entry checked
  man-db desktop-file-utils
)

# Fuzzing (tests/fuzz/run.sh, HUINONG_FUZZ=1 only): clang and its libFuzzer runtime
# (libclang_rt.fuzzer-x86_64.a is in libclang-rt-14-dev on Debian 12).
if [[ "${HUINONG_FUZZ:-0}" == 1 ]]; then
  packages+=(clang libclang-rt-14-dev)
fi

# Long runs (HUINONG_LONG_TESTS=1): the package test also installs the .deb into a fresh
# Debian 12 made with debootstrap.
if [[ "${HUINONG_LONG_TESTS:-0}" == 1 ]]; then
  packages+=(debootstrap)
fi

missing=()
for pkg in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  if [[ "$status" != "install ok installed" ]]; then
    missing+=("$pkg")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: nothing was missing (${#packages[@]} packages already installed)."
  exit 0
fi

as_root=()
if ((EUID != 0)); then
  if command -v sudo >/dev/null 2>&1; then
    as_root=(sudo)
  else
    echo "install-deps: missing ${missing[*]}; run as root (sudo is not available)." >&2
    exit 1
  fi
fi

"${as_root[@]}" apt-get update
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y --no-install-recommends "${missing[@]}"
echo "install-deps: installed ${missing[*]}."
