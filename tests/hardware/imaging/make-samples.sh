#!/usr/bin/env bash
# Regenerates the decoding samples in samples/: label cards and serial stickers drawn at their
# real size (300 dpi), then seen the way the counter camera sees them (1280x720 webcam, 4-7
# px/mm), warped, turned, blurred, noised, unevenly lit and JPEG-compressed with ImageMagick.
# Every image has its expected text beside it (name.jpg + name.txt), as in zxing-cpp's
# black-box samples. All of it is generated here (see samples/LICENSE.md); no photographs.
#
# Usage: tests/hardware/imaging/make-samples.sh [PATH/TO/make_barcode]
#   make_barcode is built with the tests (target make_barcode); the default is the one in
#   build-print/. Needs ImageMagick's convert and fonts-wqy-zenhei. Deterministic: the same
#   seeds give the same pictures on the same ImageMagick.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
gen=${1:-$here/../../../build-print/tests/hardware/imaging/make_barcode}
out=$here/samples
font=/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc
[[ -x $gen ]] || { echo "make-samples: no make_barcode at $gen (build target make_barcode)" >&2; exit 2; }
[[ -f $font ]] || { echo "make-samples: $font missing (apt-get install fonts-wqy-zenhei)" >&2; exit 2; }
command -v convert >/dev/null || { echo "make-samples: ImageMagick convert missing" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A seeded generator of our own: bash reseeds $RANDOM in every subshell, and we want the same
# pictures every run. rnd LO HI sets R to an integer in [LO, HI]; call it in this shell, never
# inside $(...).
seed=20090115
rnd() {
  seed=$(((seed * 1103515245 + 12345) % 2147483648))
  R=$(($1 + (seed / 65536) % ($2 - $1 + 1)))
}
# corners W H DX DY: sets PTS to a perspective mapping pulling each corner by up to DX, DY.
corners() {
  local w=$1 h=$2 p=() i
  for i in 1 2 3 4 5 6 7 8; do rnd 0 $(((i % 2) ? $3 : $4)); p+=("$R"); done
  PTS="0,0 ${p[0]},${p[1]}  $w,0 $((w - p[2])),${p[3]}  $w,$h $((w - p[4])),$((h - p[5]))  0,$h ${p[6]},$((h - p[7]))"
}
# ean13 TWELVE_DIGITS: the 13 digits with the check digit
ean13() {
  local d=$1 sum=0 i
  for ((i = 0; i < 12; i++)); do sum=$((sum + ${d:i:1} * (i % 2 ? 3 : 1))); done
  echo "$d$(((10 - sum % 10) % 10))"
}

rm -rf "$out"/clean "$out"/perspective "$out"/rotation "$out"/blur "$out"/noise "$out"/lighting "$out"/jpeg \
  "$out"/counter "$out"/frame
mkdir -p "$out"

# ---- the objects, at real size (300 dpi: 11.81 px/mm) -------------------------------------
models=(HISENSE-TLM26V68 HAIER-BCD-186KB NOKIA-1680C LITTLESWAN-XQB50)
names=(海信\ 液晶彩电 海尔\ 双门冰箱 诺基亚\ 手机 小天鹅\ 洗衣机)
categories=(彩电 冰箱 手机 洗衣机)

# Label card 85 x 54 mm (1004 x 638 px), Code 128 of the 20-digit card number, module 0.34 mm.
label_card() {  # VARIANT OUT.png -> prints the card number
  local v=$1 card
  card=$(printf '3408%02d%014d' $((v % 4 + 1)) $((10000 + v * 37 + 1)))
  "$gen" code128 "$card" "$work/bars.png" 4 170
  local bw; bw=$(identify -format %w "$work/bars.png")
  convert -size 1004x638 xc:'#fbf8ef' \
    -fill '#c8102e' -draw 'rectangle 0,0 1003,112' \
    -font "$font" -fill white -pointsize 50 -gravity north -annotate +0+28 '家电下乡产品标识卡' \
    -gravity northwest -fill '#222' -pointsize 30 \
    -annotate +48+138 "产品类别:${categories[v % 4]}    型号:${models[v % 4]}" \
    -pointsize 26 -annotate +48+190 '标识卡号 Card No.' \
    "$work/bars.png" -geometry +$(((1004 - bw) / 2))+236 -composite \
    -pointsize 34 -gravity north -annotate +0+412 "$card" \
    -pointsize 24 -gravity south -annotate +0+70 '凭此卡和发票到乡镇财政所申领补贴' \
    -pointsize 22 -annotate +0+28 '中华人民共和国商务部  财政部  监制' \
    -fill none -stroke '#8a8a8a' -strokewidth 4 -draw 'roundrectangle 2,2 1001,635 36,36' \
    "$2"
  echo "$card"
}

# Product QR sticker 40 x 48 mm (472 x 567 px), UTF-8 text with Chinese, module 0.5 mm.
qr_sticker() {  # VARIANT OUT.png -> prints the text
  local v=$1 text
  text="${names[v % 4]} ${models[v % 4]} SN:$(printf 'TL%02d-0811A%05d' $((v % 4 + 20)) $((v * 113 + 17)))"
  "$gen" qr "$text" "$work/qr.png" 6
  convert -size 472x567 xc:white -font "$font" -fill '#222' \
    -pointsize 30 -gravity north -annotate +0+22 "${names[v % 4]}" \
    "$work/qr.png" -gravity center -geometry +0+6 -composite \
    -pointsize 24 -gravity south -annotate +0+24 '扫码查验 Scan to verify' \
    -fill none -stroke '#aaaaaa' -strokewidth 3 -draw 'rectangle 1,1 470,565' "$2"
  echo "$text"
}

# EAN-13 on a product box: module 0.339 mm (4 px), 100% nominal size, on cardboard.
ean_box() {  # VARIANT OUT.png -> prints the 13 digits
  local v=$1 code
  code=$(ean13 "$(printf '69%010d' $((v * 7919 + 1200000)))")
  "$gen" ean13 "$code" "$work/ean.png" 4 250
  convert -size 650x470 xc:'#d6bd92' -font "$font" -fill '#3a2a1a' \
    -pointsize 30 -gravity north -annotate +0+18 "${names[v % 4]} ${models[v % 4]}" \
    -fill white -draw 'rectangle 80,70 570,400' \
    "$work/ean.png" -gravity north -geometry +0+85 -composite \
    -fill black -pointsize 34 -annotate +0+340 "$code" "$2"
  echo "$code"
}

# Serial plate 45 x 25 mm (531 x 295 px), Data Matrix of the serial, module 0.6 mm, on
# brushed metal.
serial_plate() {  # VARIANT OUT.png -> prints the serial
  local v=$1 serial
  serial=$(printf '%s-0811Q%05d' "${models[v % 4]#*-}" $((v * 211 + 4410)))
  "$gen" datamatrix "$serial" "$work/dm.png" 7
  convert -size 531x295 xc:'#d4d6d8' -font "$font" -fill '#202020' \
    -pointsize 28 -gravity northwest -annotate +24+18 "${names[v % 4]}" \
    -pointsize 22 -annotate +24+62 "S/N $serial" \
    "$work/dm.png" -gravity southwest -geometry +24+24 -composite \
    -pointsize 20 -gravity southeast -annotate +24+30 '220V~ 50Hz' \
    -fill none -stroke '#909090' -strokewidth 3 -draw 'rectangle 1,1 529,293' "$2"
  echo "$serial"
}

kinds=(card qr ean dm)
make_object() {  # KIND VARIANT OUT.png -> prints the expected text
  case $1 in
    card) label_card "$2" "$3" ;;
    qr) qr_sticker "$2" "$3" ;;
    ean) ean_box "$2" "$3" ;;
    dm) serial_plate "$2" "$3" ;;
  esac
}

# The counter top under the camera: a dull, mottled surface.
convert -seed 7 -size 1280x720 plasma:'#8a7a66'-'#4a4036' -blur 0x4 "$work/counter.png"

save() {  # IMAGE SET NAME TEXT [JPEG_QUALITY]: writes SET/NAME.{jpg|png} + SET/NAME.txt
  mkdir -p "$out/$2"
  if [[ -n ${5:-} ]]; then
    convert "$1" -colorspace Gray -quality "$5" -sampling-factor 2x2 -strip "$out/$2/$3.jpg"
  else
    convert "$1" -strip "PNG8:$out/$2/$3.png"
  fi
  printf '%s\n' "$4" >"$out/$2/$3.txt"
}

# on_counter OBJECT SCALE_PERCENT MARGIN OUT: the object as the webcam sees it (scaled),
# laid on the counter with a margin around it.
on_counter() {
  local w h
  convert "$1" -resize "$2%" "$work/scaled.png"
  w=$(identify -format %w "$work/scaled.png")
  h=$(identify -format %h "$work/scaled.png")
  rnd 0 200; local x=$R
  rnd 0 100; local y=$R
  convert "$work/counter.png" -crop $((w + 2 * $3))x$((h + 2 * $3))+$x+$y +repage \
    "$work/scaled.png" -gravity center -composite "$4"
}

# ---- clean: the objects at real size, nothing done to them ---------------------------------
for kind in "${kinds[@]}"; do
  for v in 0 1; do
    text=$(make_object "$kind" "$v" "$work/obj.png")
    save "$work/obj.png" clean "$kind-$v" "$text"
  done
done

# ---- the degraded sets: 4 kinds x 4 variants, at webcam scale (38-62% of 300 dpi) ----------
variants=(0 1 2 3)
for kind in "${kinds[@]}"; do
  for v in "${variants[@]}"; do
    text=$(make_object "$kind" $((v + 2)) "$work/obj.png")
    w=$(identify -format %w "$work/obj.png")
    h=$(identify -format %h "$work/obj.png")
    name=$kind-$v

    # perspective: held at an angle; each corner pulled by up to a fifth of the size.
    corners "$w" "$h" $((w / 5)) $((h / 5))
    convert "$work/obj.png" -alpha set -virtual-pixel transparent +distort Perspective "$PTS" "$work/warped.png"
    rnd 48 62; on_counter "$work/warped.png" "$R" 24 "$work/s.png"
    convert "$work/s.png" -blur 0x0.6 "$work/s.png"
    save "$work/s.png" perspective "$name" "$text" 80

    # rotation: any angle.
    rnd 5 355; convert "$work/obj.png" -alpha set -background none -rotate "$R" "$work/turned.png"
    rnd 45 60; on_counter "$work/turned.png" "$R" 16 "$work/s.png"
    save "$work/s.png" rotation "$name" "$text" 80

    # blur: out of focus or moving, sigma 0.8-1.8 px at camera scale.
    rnd 50 62; on_counter "$work/obj.png" "$R" 24 "$work/s.png"
    rnd 8 18; convert "$work/s.png" -blur "0x$((R / 10)).$((R % 10))" "$work/s.png"
    save "$work/s.png" blur "$name" "$text" 80

    # noise: a cheap sensor in a dim shop.
    rnd 48 60; on_counter "$work/obj.png" "$R" 24 "$work/s.png"
    rnd 6 14; amount="$((R / 10)).$((R % 10))"
    rnd 1 99999; convert "$work/s.png" -seed "$R" -attenuate "$amount" +noise Gaussian "$work/s.png"
    save "$work/s.png" noise "$name" "$text" 80

    # lighting: a window on one side, the shade of a hand on the other (gradient multiply).
    rnd 48 62; on_counter "$work/obj.png" "$R" 24 "$work/s.png"
    sw=$(identify -format %w "$work/s.png")
    sh=$(identify -format %h "$work/s.png")
    rnd 0 "$sw"; x1=$R; rnd 0 "$sh"; y1=$R; rnd 0 "$sw"; x2=$R; rnd 0 "$sh"; y2=$R; rnd 25 40; dark=$R
    convert "$work/s.png" \( -size "${sw}x${sh}" xc: -sparse-color Barycentric \
      "$x1,$y1 gray($dark%) $x2,$y2 white" \) -compose Multiply -composite "$work/s.png"
    save "$work/s.png" lighting "$name" "$text" 80

    # jpeg: the webcam's own compression, quality 30-60.
    rnd 50 62; on_counter "$work/obj.png" "$R" 24 "$work/s.png"
    rnd 30 60; save "$work/s.png" jpeg "$name" "$text" "$R"

    # counter: all of it, each milder: angle, turn, focus, noise, light, JPEG.
    corners "$w" "$h" $((w / 8)) $((h / 8))
    rnd -25 25
    convert "$work/obj.png" -alpha set -virtual-pixel transparent +distort Perspective "$PTS" \
      -background none -rotate "$R" "$work/warped.png"
    rnd 52 62; on_counter "$work/warped.png" "$R" 20 "$work/s.png"
    sw=$(identify -format %w "$work/s.png")
    sh=$(identify -format %h "$work/s.png")
    rnd 0 "$sh"; y1=$R; rnd 0 "$sh"; y2=$R; rnd 1 99999; noise_seed=$R
    convert "$work/s.png" -blur 0x0.7 -seed "$noise_seed" -attenuate 0.6 +noise Gaussian \
      \( -size "${sw}x${sh}" xc: -sparse-color Barycentric "0,$y1 gray(45%) $sw,$y2 white" \) \
      -compose Multiply -composite "$work/s.png"
    rnd 40 60; save "$work/s.png" counter "$name" "$text" "$R"
  done
done

# ---- frame: whole 1280x720 webcam frames, a label card somewhere on the counter ------------
for v in 1 2 3; do
  text=$(label_card $((v + 10)) "$work/obj.png")
  w=$(identify -format %w "$work/obj.png")
  h=$(identify -format %h "$work/obj.png")
  corners "$w" "$h" $((w / 10)) $((h / 10))
  rnd -15 15; turn=$R; rnd 52 60; scale=$R
  convert "$work/obj.png" -alpha set -virtual-pixel transparent +distort Perspective "$PTS" \
    -background none -rotate "$turn" -resize "$scale%" "$work/warped.png"
  rnd 80 560; x=$R; rnd 40 260; y=$R; rnd 1 99999
  convert "$work/counter.png" "$work/warped.png" -gravity northwest -geometry "+$x+$y" -composite \
    -blur 0x0.6 -seed "$R" -attenuate 0.5 +noise Gaussian "$work/s.png"
  save "$work/s.png" frame "counter-frame-$v" "$text" 70
done

du -sh "$out"
for d in "$out"/*/; do echo "$(basename "$d"): $(ls "$d" | grep -c '\.txt$') images"; done
