#!/usr/bin/env bash
# The README's run command: installs what is missing, builds, creates the demo outlet if it is
# missing, and starts the counter application (huinong-pos) on it, with simulated devices (a
# keyboard-wedge scanner is the keyboard; invoices print on a simulated ESC/POS receipt printer
# whose receipts appear as PNG and text files; an ID card reader simulator on a pseudo-terminal,
# whose card is put on and taken off with $demo/card).
#
#   packaging/run-demo.sh          the counter application (needs a desktop: $DISPLAY)
#   packaging/run-demo.sh --cli    a command-line walkthrough of the same outlet's first day
#   packaging/run-demo.sh --reset  forget the demo outlet and make it anew
#
# The demo outlet lives in $HUINONG_DEMO_DIR (default ~/.local/share/huinong/demo), beside a
# sandbox of the provincial system (huinong-sandbox) that this script starts on loopback
# (127.0.0.1:$HUINONG_DEMO_PORT, default 47880), so uploads work out of the box.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build="${HUINONG_BUILD_DIR:-$root/build}"
demo="${HUINONG_DEMO_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/huinong/demo}"
mode=gui
for arg in "$@"; do
  case "$arg" in
    --cli) mode=cli ;;
    --reset) rm -rf "$demo" ;;
    *) echo "run-demo: unknown option $arg (use --cli or --reset)" >&2; exit 2 ;;
  esac
done
if [[ "$mode" == gui && -z "${DISPLAY:-}" ]]; then
  echo "run-demo: no desktop here (\$DISPLAY is not set): showing the command-line walkthrough instead."
  mode=cli
fi

"$root/packaging/install-deps.sh"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"$(nproc)" --target huinong huinong-pos huinong-sandbox huinong_translations

huinong="$build/pos/cli/huinong"
sandbox="$build/sync/sandbox/huinong-sandbox"
port="${HUINONG_DEMO_PORT:-47880}"
export HUINONG_DB="$demo/huinong.db"
assets="$root/assets/demo"
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

if [[ ! -f "$HUINONG_DB" ]]; then
  step "开设演示网点 Creating the demo outlet in $demo"
  mkdir -p "$demo"
  HUINONG_NEW_PIN=1234 "$huinong" init --outlet-code AH-XX-0001 --outlet-name "萧县惠农家电城" \
    --county 341322 --manager wang --manager-name "王店长"
  HUINONG_PIN=1234 HUINONG_NEW_PIN=5678 "$huinong" user add --user wang --login li --name "李营业员" --role clerk
  HUINONG_PIN=1234 "$huinong" catalog import --user wang "$assets/catalog.csv"
  HUINONG_PIN=1234 "$huinong" cards receive --user wang "$assets/cards.csv"
  step "省平台沙箱 The provincial system's sandbox: the outlet registered, its cards issued"
  "$sandbox" catalog import --db "$demo/province.db" "$assets/catalog.csv"
  "$sandbox" outlet add --db "$demo/province.db" --code AH-XX-0001 --name "萧县惠农家电城" \
    --county 341322 --out "$demo/credential"
  "$sandbox" cards issue --db "$demo/province.db" "$assets/cards.csv" --outlet AH-XX-0001
  HUINONG_PIN=1234 "$huinong" sync setup --user wang --server "http://127.0.0.1:$port" \
    --credential "$demo/credential"
fi

# The sandbox runs while the demo does, on loopback only.
"$sandbox" serve --db "$demo/province.db" --listen "127.0.0.1:$port" >"$demo/sandbox.log" 2>&1 &
sandbox_pid=$!
trap 'kill "$sandbox_pid" 2>/dev/null || true' EXIT

# ---- the receipt printer (issue 15, printing) ------------------------------------------------
# An ESC/POS receipt printer simulated on loopback (127.0.0.1:$HUINONG_DEMO_PRINTER_PORT, default
# 47891), as a network receipt printer on port 9100 would be: each receipt it gets is written to
# $demo/receipts/receipt-NNNN.png (and .txt). The demo outlet's device.invoice_printer points at it.
cmake --build "$build" -j"$(nproc)" --target huinong-printer-sim
printer_port="${HUINONG_DEMO_PRINTER_PORT:-47891}"
printer_uri="escpos+tcp://127.0.0.1:$printer_port?paper=80"
"$build/hardware/printer/huinong-printer-sim" --port "$printer_port" --out "$demo/receipts" \
  >"$demo/printer.log" 2>&1 &
printer_pid=$!
trap 'kill "$sandbox_pid" "$printer_pid" 2>/dev/null || true' EXIT  # the reader block adds its own
if [[ "$(cat "$demo/.invoice_printer" 2>/dev/null)" != "$printer_uri" ]]; then
  HUINONG_PIN=1234 "$huinong" setting set --user wang --key device.invoice_printer --value "$printer_uri" >/dev/null
  echo "$printer_uri" >"$demo/.invoice_printer"
fi
cat <<MSG

收据打印机 The receipt printer: simulated on 127.0.0.1:$printer_port (device.invoice_printer
  $printer_uri). Each printed receipt appears as $demo/receipts/receipt-NNNN.png
  (and .txt). Stop the simulator and the counter shows "printing failed" in red; F12 reprints.
MSG
# ---- end of the receipt printer ---------------------------------------------------------------
# ---- The ID card reader (issue 15: the counter's input devices) ------------------------------
# A simulated reader (huinong-idcard-sim) on a pseudo-terminal, under the stable name
# $demo/id-reader as a real one has /dev/serial/by-id/...; the counter polls it. A card is put
# on and taken off through the FIFO $demo/reader-control, which the helper $demo/card writes:
# `$demo/card valid` (张伟), `expired`, `long-term`, `hui`, `uyghur`, `rare`; `$demo/card none`.
reader_args=()
reader_pid=""
if [[ "$mode" == gui ]]; then
  cmake --build "$build" -j"$(nproc)" --target huinong-idcard-sim >/dev/null
  control="$demo/reader-control"
  rm -f "$control"
  mkfifo "$control"
  exec 3<>"$control"  # held open here, so the simulator never reads the end of its control input
  "$build/hardware/idcard/huinong-idcard-sim" --link "$demo/id-reader" --card none <"$control" \
    >"$demo/reader.log" 2>&1 &
  reader_pid=$!
  cat >"$demo/card" <<CARD
#!/usr/bin/env bash
# Puts a simulated ID card on the demo's reader, or takes it off: card valid|expired|long-term|hui|uyghur|moved|rare|none
echo "card \${1:-valid}" > "$control"
CARD
  chmod +x "$demo/card"
  # The demo outlet's reader is its setting where the terminal takes device.* keys; the option
  # below makes this run use it in any case.
  HUINONG_PIN=1234 "$huinong" setting set --user wang --key device.id_reader --value "$demo/id-reader" \
    >/dev/null
  reader_args=(--id-reader "$demo/id-reader")
  trap 'kill "$sandbox_pid" "$printer_pid" 2>/dev/null || true; [[ -n "$reader_pid" ]] && kill "$reader_pid" 2>/dev/null || true' EXIT
  cat <<MSG

身份证读卡器 ID card reader (simulated): $demo/id-reader
  Put a card on the reader:   $demo/card valid      (张伟, 萧县; also: hui, uyghur, moved, long-term, rare)
  An expired card:            $demo/card expired    (refused: ID_CARD_EXPIRED)
  Take it off:                $demo/card none
  With the sale screen open and no buyer yet, the card fills the buyer panel (ID masked); type
  the household number (户号), then scan. F7 starts the next sale; the card left on the reader is
  not read again until it is taken off and put back.
MSG
fi
# ---- end of the ID card reader -----------------------------------------------------------------

if [[ "$mode" == gui ]]; then
  cat <<MSG

惠农收银台 demo outlet: $HUINONG_DB
  Sign in as 李营业员 (clerk, PIN 5678) or 王店长 (manager, PIN 1234). Sales upload to the
  sandbox province on 127.0.0.1:$port; the status strip shows what is pending.
  Sell a TV: F2, type ID 341322198001011239, a name and household number 3413220012 (Enter
  after each), then at F3 type card 34080100000000010001, Enter, serial TLM26V68-0811A00017,
  Enter, then F10 and Enter (paid exactly in cash). The invoice appears on screen and prints to
  $demo/receipts/.
  More label cards and serials: $assets/cards.csv. F1 lists every key.
MSG
  "$build/pos/ui/huinong-pos" --db "$HUINONG_DB" --user li "${reader_args[@]}"
  exit $?
fi

# The command-line walkthrough: a sale with its invoice, a refusal, the daily report.
id=341322198001011239
household="DEMO-$(date +%s)"
mapfile -t stock < <(HUINONG_PIN=1234 "$huinong" cards list --user wang --state in_stock \
  --model HISENSE-TLM26V68 | cut -d' ' -f1)
if ((${#stock[@]} < 2)); then
  echo "run-demo: the demo TVs are sold out; run with --reset for a fresh outlet." >&2
  exit 1
fi

step "销售一台彩电 A TV sold (clerk li, PIN 5678): card ${stock[0]}"
HUINONG_PIN=5678 "$huinong" sale --user li --buyer-name "张三" --buyer-id "$id" \
  --household "$household" --item "${stock[0]}=1999.00" --invoice-out "$demo/invoice-cli.txt"

step "同一户再买一台彩电:被拒绝 A second TV for the same household: refused"
HUINONG_PIN=5678 "$huinong" sale --user li --buyer-name "张三" --buyer-id "$id" \
  --household "$household" --item "${stock[1]}=1999.00" || echo "(exit $?: refused by policy)"

step "上传省平台 Upload to the provincial system (sandbox on 127.0.0.1:$port)"
HUINONG_PIN=5678 "$huinong" sync --user li --once || echo "(exit $?: 未全部送达,留在队列中 / not everything reached the province; it stays queued)"

step "日报 The daily report"
HUINONG_PIN=1234 "$huinong" report daily --user wang
