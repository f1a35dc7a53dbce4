#!/usr/bin/env bash
# The package test (ctest label "packaging"): builds the .deb from a build tree with cpack, checks
# its control fields (dpkg-deb -I) and its contents (dpkg-deb -c), unpacks it into a temporary
# root (dpkg -x: no root rights, no chroot) and runs the installed commands from there: they
# must find their own data and translations under that root. The man pages must render
# without warnings and the desktop entry must validate.
#
#   packaging/deb_test.sh BUILD_DIR SOURCE_DIR
#
# With HUINONG_LONG_TESTS=1 (and root, and the Debian mirror reachable) it also installs the
# package with apt into a fresh Debian 12 made with debootstrap and runs `huinong --version`
# and `huinong init` there: the Depends field is then proven complete, not only plausible.
set -euo pipefail
build=$(cd "$1" && pwd)
src=$(cd "$2" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/huinong-deb.XXXXXX")
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }

version=$(sed -n 's/^project(huinong VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")
arch=$(dpkg --print-architecture)
[[ -n "$version" ]] || { echo "cannot read the project version from $src/CMakeLists.txt" >&2; exit 1; }

# ---- build ------------------------------------------------------------------------------------
prefix=$(sed -n 's/^set(CPACK_PACKAGING_INSTALL_PREFIX "\(.*\)")$/\1/p' "$build/CPackConfig.cmake")
if [[ "$prefix" != /usr ]]; then
  echo "FAIL: $build installs under '$prefix', not /usr: a Debian package must not use /usr/local." >&2
  echo "      Reconfigure: cmake -S $src -B $build -DCMAKE_INSTALL_PREFIX=/usr" >&2
  exit 1
fi
if ! cpack -G DEB --config "$build/CPackConfig.cmake" -B "$work/out" >"$work/cpack.log" 2>&1; then
  cat "$work/cpack.log" >&2
  echo "FAIL: cpack -G DEB failed" >&2
  exit 1
fi
deb="$work/out/huinong-pos_${version}_${arch}.deb"
[[ -f "$deb" ]] || { ls -l "$work/out" >&2; echo "FAIL: no $deb" >&2; exit 1; }
pass "cpack built $(basename "$deb") ($(du -k "$deb" | cut -f1) KiB)"

# ---- control fields ---------------------------------------------------------------------------
info=$(dpkg-deb -I "$deb")
field() { dpkg-deb -f "$deb" "$1"; }
[[ "$(field Package)" == huinong-pos ]] || fail "Package is '$(field Package)'"
[[ "$(field Version)" == "$version" ]] || fail "Version is '$(field Version)', not $version"
[[ "$(field Architecture)" == "$arch" ]] || fail "Architecture is '$(field Architecture)'"
[[ -n "$(field Maintainer)" && -n "$(field Description)" && -n "$(field Installed-Size)" ]] ||
  fail "Maintainer, Description or Installed-Size missing"
depends=$(field Depends)
depends_names=$(tr ',' '\n' <<<"$depends" | sed 's/^ *//; s/ .*//')  # one package name a line
# The libraries the binaries link (found by dpkg-shlibdeps), the invoice font and wxWidgets'
# own Chinese catalog (explicit).
for pkg in libc6 libstdc++6 libwxgtk3.2-1 libwxbase3.2-1 libsqlite3-0 libcurl4 libzxing2 libssl3 \
           libcairo2 libpango-1.0-0 fonts-wqy-zenhei wx3.2-i18n; do
  grep -Fxq "$pkg" <<<"$depends_names" || fail "Depends lacks $pkg: $depends"
done
# Nothing that only building or testing needs.
for pkg in catch2 libwxgtk3.2-dev xvfb xdotool; do
  grep -Fxq "$pkg" <<<"$depends_names" && fail "Depends holds the build/test package $pkg"
done
pass "control: $(field Package) $(field Version) $(field Architecture); Depends: $depends"

# ---- contents ---------------------------------------------------------------------------------
dpkg-deb -c "$deb" >"$work/contents"
expect=(
  ./usr/bin/huinong ./usr/bin/huinong-pos ./usr/bin/huinong-sandbox
  ./usr/share/locale/zh_CN/LC_MESSAGES/huinong.mo
  ./usr/share/huinong/policy/2008-12.ini ./usr/share/huinong/policy/2009-04.ini
  ./usr/share/huinong/policy/2010-06.ini ./usr/share/huinong/calendar/cn-2026.txt
  ./usr/share/huinong/demo/catalog.csv ./usr/share/huinong/demo/cards.csv
  ./usr/share/applications/huinong-pos.desktop
  ./usr/share/icons/hicolor/scalable/apps/huinong-pos.svg
  ./usr/share/icons/hicolor/256x256/apps/huinong-pos.png
  ./usr/share/icons/hicolor/48x48/apps/huinong-pos.png
  ./usr/share/man/man1/huinong.1.gz ./usr/share/man/man1/huinong-pos.1.gz
  ./usr/share/man/man1/huinong-sandbox.1.gz
)
for f in "${expect[@]}"; do
  grep -q " $f$" "$work/contents" || fail "the package lacks $f"
done
for b in huinong huinong-pos huinong-sandbox; do
  grep -Eq "^-rwxr-xr-x root/root .* \./usr/bin/$b$" "$work/contents" || fail "/usr/bin/$b is not an executable owned by root"
done
awk '{print $2}' "$work/contents" | grep -v '^root/root$' && fail "files not owned by root/root"
awk '{print $6}' "$work/contents" | grep -Ev '^\./(usr(/.*)?)?$' && fail "files outside /usr"
grep -E 'README|\.po$|/include/|\.a$' "$work/contents" && fail "source-tree files in the package"
pass "contents: $(grep -c '^-' "$work/contents") files, all under /usr, owned by root"

# ---- unpacked into a temporary root -----------------------------------------------------------
root="$work/root"
dpkg -x "$deb" "$root"
for b in huinong huinong-pos huinong-sandbox; do
  missing=$(ldd "$root/usr/bin/$b" | grep 'not found' || true)
  [[ -z "$missing" ]] || fail "$b: libraries not found: $missing"
  sections=$(readelf -S "$root/usr/bin/$b")
  grep -q '\.debug_info' <<<"$sections" && fail "$b is not stripped"
done

for page in huinong huinong-pos huinong-sandbox; do
  out=$(LC_ALL=C MANWIDTH=80 man --warnings -l "$root/usr/share/man/man1/$page.1.gz" 2>"$work/man.err")
  [[ -s "$work/man.err" ]] && fail "man $page: $(cat "$work/man.err")"
  grep -q "^NAME" <<<"$out" && grep -q "^SYNOPSIS" <<<"$out" && grep -q "$page" <<<"$out" ||
    fail "man $page renders without NAME/SYNOPSIS"
done
pass "man pages huinong(1) huinong-pos(1) huinong-sandbox(1) render without warnings"

desktop="$root/usr/share/applications/huinong-pos.desktop"
if command -v desktop-file-validate >/dev/null; then
  desktop-file-validate "$desktop" || fail "desktop-file-validate"
else
  fail "desktop-file-validate is missing (packaging/install-deps.sh installs desktop-file-utils)"
fi
grep -qx 'Exec=huinong-pos' "$desktop" && grep -qx 'Icon=huinong-pos' "$desktop" || fail "desktop entry Exec/Icon"
pass "desktop entry validates"

# The catalog of the package is the build's, and holds the first-run wizard's strings.
cmp -s "$root/usr/share/locale/zh_CN/LC_MESSAGES/huinong.mo" "$build/locale/zh_CN/LC_MESSAGES/huinong.mo" ||
  fail "the packaged huinong.mo is not the build's"
catalog=$(msgunfmt "$root/usr/share/locale/zh_CN/LC_MESSAGES/huinong.mo")
grep -q '设置本收银终端' <<<"$catalog" ||
  fail "the packaged catalog lacks the first-run wizard's strings"

# The installed commands, run from the unpacked root with a clean environment: they must find
# the data and translations of that root (beside their bin/), not the source tree's.
home="$work/home"
mkdir -p "$home"
run() { env -i PATH=/usr/bin:/bin HOME="$home" LANG=C.UTF-8 "$@"; }
out=$(run "$root/usr/bin/huinong" --version)
grep -qx "huinong $version" <<<"$(head -1 <<<"$out")" || fail "huinong --version said: $out"
grep -q "data: $root/usr/share/huinong\$" <<<"$out" || fail "huinong reads its data elsewhere: $out"
out=$(run "$root/usr/bin/huinong-pos" --version)
grep -qx "huinong-pos $version" <<<"$(head -1 <<<"$out")" || fail "huinong-pos --version said: $out"
grep -q "translations: $root/usr/share/locale\$" <<<"$out" || fail "huinong-pos reads its translations elsewhere: $out"
pass "huinong --version and huinong-pos --version from the unpacked root: $(run "$root/usr/bin/huinong" --version | tr '\n' ' ')"

# An outlet made and a sale sold by the unpacked command line, on the shipped data alone.
db="$home/shop.db"
data="$root/usr/share/huinong"
run env HUINONG_NEW_PIN=1234 "$root/usr/bin/huinong" --db "$db" init --outlet-code AH-XX-0001 \
  --outlet-name 'Xiaoxian Huinong' --county 341322 --manager wang --manager-name Wang >/dev/null ||
  fail "huinong init with the packaged policy data"
run env HUINONG_PIN=1234 "$root/usr/bin/huinong" --db "$db" catalog import --user wang "$data/demo/catalog.csv" >/dev/null ||
  fail "catalog import of the packaged demo catalog"
run env HUINONG_PIN=1234 "$root/usr/bin/huinong" --db "$db" cards receive --user wang "$data/demo/cards.csv" >/dev/null ||
  fail "cards receive of the packaged demo cards"
sale=$(run env HUINONG_PIN=1234 "$root/usr/bin/huinong" --db "$db" --json sale --user wang --buyer-name Zhang \
  --buyer-id 341322198001011239 --household 3413220012 \
  --item 34080100000000010001:TLM26V68-0811A00017=1999.00) || fail "a sale with the unpacked huinong: $sale"
grep -Eq '"status": *"accepted"' <<<"$sale" || fail "the sale was not accepted: $sale"
pass "huinong init, imports and a sale from the unpacked root"

# The sandbox's data directory is compiled in (/usr/share/huinong); from an unpacked root it
# is told where the root's data is.
prov="$home/province.db"
run env HUINONG_ASSETS_DIR="$data" "$root/usr/bin/huinong-sandbox" outlet add --db "$prov" --code AH-XX-0001 \
  --name Xiaoxian --county 341322 --out "$home/cred" >/dev/null || fail "huinong-sandbox outlet add"
[[ -d "$home/cred" ]] || fail "huinong-sandbox wrote no credential directory"
pass "huinong-sandbox from the unpacked root registers an outlet"

# ---- optional: a real install into a fresh Debian 12 ------------------------------------------
if [[ "${HUINONG_LONG_TESTS:-0}" == 1 ]]; then
  if ((EUID != 0)) || ! command -v debootstrap >/dev/null; then
    fail "HUINONG_LONG_TESTS=1 needs root and debootstrap (apt-get install debootstrap) for the chroot install"
  else
    mirror="${HUINONG_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
    chroot_dir="$work/bookworm"
    echo "debootstrap bookworm from $mirror (minutes)..."
    if debootstrap --variant=minbase bookworm "$chroot_dir" "$mirror" >"$work/debootstrap.log" 2>&1; then
      cp "$deb" "$chroot_dir/tmp/"
      mount -t proc proc "$chroot_dir/proc"
      if chroot "$chroot_dir" sh -c "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
           --no-install-recommends /tmp/$(basename "$deb")" >"$work/apt.log" 2>&1; then
        out=$(chroot "$chroot_dir" /usr/bin/huinong --version) || true
        grep -qx "huinong $version" <<<"$(head -1 <<<"$out")" || fail "huinong --version in the chroot: $out"
        chroot "$chroot_dir" env HUINONG_NEW_PIN=1234 /usr/bin/huinong --db /root/shop.db init \
          --outlet-code AH-XX-0001 --outlet-name X --county 341322 --manager wang --manager-name Wang >/dev/null ||
          fail "huinong init in the chroot"
        chroot "$chroot_dir" /usr/bin/huinong-pos --version >/dev/null || fail "huinong-pos --version in the chroot"
        pass "installed with apt into a fresh Debian 12 (debootstrap): $(tr '\n' ' ' <<<"$out")"
      else
        tail -30 "$work/apt.log" >&2
        fail "apt-get install of the .deb in the chroot"
      fi
      umount "$chroot_dir/proc" || true
    else
      tail -30 "$work/debootstrap.log" >&2
      fail "debootstrap failed"
    fi
  fi
fi

if ((failures > 0)); then
  echo "$failures check(s) failed; dpkg-deb -I:" >&2
  echo "$info" >&2
  exit 1
fi
echo "the .deb is whole: all checks passed"
