#!/usr/bin/env bash
# Chinese is the counter's default language: every string of pos/ui must have its zh_CN
# translation. Fails naming the untranslated strings.
set -euo pipefail
root="$1"
pot=$(mktemp) merged=$(mktemp)
trap 'rm -f "$pot" "$merged"' EXIT
xgettext --language=C++ --keyword=_ --from-code=UTF-8 --omit-header -o "$pot" "$root"/pos/ui/*.cpp
msgmerge -q --no-fuzzy-matching -o "$merged" "$root/assets/locale/zh_CN.po" "$pot"
missing=$(msgattrib --untranslated --no-obsolete "$merged" | grep '^msgid' | grep -v '^msgid ""$' || true)
if [[ -n "$missing" ]]; then
  echo "untranslated in assets/locale/zh_CN.po:"
  echo "$missing"
  exit 1
fi
echo "every UI string has its Chinese translation: 1 passed, 0 failed"
