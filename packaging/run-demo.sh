#!/usr/bin/env bash
# The README's run command: installs what is missing, builds, and walks a demo outlet through
# its first day on the command line: init, catalog, goods receipt, a sale with its invoice, a
# refused sale, and the daily report. The demo lives in build/demo/ and is made anew each run.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build="${HUINONG_BUILD_DIR:-$root/build}"

"$root/packaging/install-deps.sh"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"$(nproc)" --target huinong

huinong="$build/pos/cli/huinong"
demo="$build/demo"
rm -rf "$demo"
mkdir -p "$demo"
export HUINONG_DB="$demo/huinong.db"
assets="$root/assets/demo"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "开设演示网点 Create the demo outlet (manager wang, PIN 1234)"
HUINONG_NEW_PIN=1234 "$huinong" init --outlet-code AH-XX-0001 --outlet-name "萧县惠农家电城" \
  --county 341322 --manager wang --manager-name "王店长"
HUINONG_PIN=1234 HUINONG_NEW_PIN=5678 "$huinong" user add --user wang --login li --name "李营业员" --role clerk

step "导入中标目录并登记收货 Import the catalog and receive the label cards"
HUINONG_PIN=1234 "$huinong" catalog import --user wang "$assets/catalog.csv"
HUINONG_PIN=1234 "$huinong" cards receive --user wang "$assets/cards.csv"

step "销售一台彩电 Sell a TV (clerk li, PIN 5678)"
HUINONG_PIN=5678 "$huinong" sale --user li --buyer-name "张三" --buyer-id 341322198001011239 \
  --household 3413220012 --item 34080100000000010001:TLM26V68-0811A00017=1999.00 \
  --invoice-out "$demo/invoice-00000001.txt"

step "同一户再买一台彩电:被拒绝 A second TV for the same household is refused"
HUINONG_PIN=5678 "$huinong" sale --user li --buyer-name "张三" --buyer-id 341322198001011239 \
  --household 3413220012 --item 34080100000000010002=1999.00 || echo "(exit $?: refused by policy)"

step "日报 The daily report"
HUINONG_PIN=1234 "$huinong" report daily --user wang

printf '\nDemo database: %s\nTry: HUINONG_DB=%s HUINONG_PIN=5678 %s sale --help\n' \
  "$HUINONG_DB" "$HUINONG_DB" "$huinong"
