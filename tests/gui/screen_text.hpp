#pragma once
// "No English on a Chinese screen" (issue 16), reusable by every GUI test: asks the running
// huinong-pos for every text its shown windows display (SIGUSR1 -> a "screen_text" trace line,
// pos/ui/screen_text.hpp) and finds the ASCII words of 2+ letters left in them, beyond an
// explicit allowlist (english_words below).
//
// To check a screen, get there with keys as a clerk would, then one line:
//     check_chinese_screen(c, "收货");        // a dialog, by its Chinese title
//     check_chinese_screen(c, "");             // whatever is up (the counter, the sign-in)
//     check_chinese_message(c, "惠农补贴销售系统");  // a message box, when it is shown
#include <signal.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "counter_harness.hpp"

namespace hn::test {

// Words that may stay in Latin letters on a Chinese screen. Kept short, each with its reason.
inline const std::set<std::string>& allowed_english() {
  static const std::set<std::string> words = {
      // Keys named as printed on the keyboard ("回车" is said too, but the keycaps say these).
      "Esc", "Enter", "Shift", "Ctrl", "Tab", "Alt", "Delete",
      // Units, formats and standards Chinese text writes in Latin letters.
      "ID", "PIN", "PDF", "PNG", "USB", "CSV", "ESC", "POS", "CUPS", "UTF",
      // The language menu names each language in itself (中文, English).
      "English",
      // The demo outlet's logins (make_demo_outlet): identifiers the shop chose, like codes.
      "li", "wang",
  };
  return words;
}

// Words of the outlet's catalog (brands like TCL, specs like LCD, CRT, GSM; model codes):
// product names and codes are what they are. Read from the demo catalog the tests import.
inline const std::set<std::string>& catalog_words() {
  static const std::set<std::string> words = [] {
    std::set<std::string> w;
    const std::string csv = read_text(std::string(HUINONG_GUI_ASSETS_DIR) + "/demo/catalog.csv");
    std::istringstream in(csv);
    std::string line;
    std::getline(in, line);  // the header's column names are no product words
    std::string word;
    while (std::getline(in, line)) {
      for (char ch : line + "\n") {
        if (std::isalpha(static_cast<unsigned char>(ch))) word += ch;
        else {
          if (word.size() >= 2) w.insert(word);
          word.clear();
        }
      }
    }
    for (const char* category : {"tv", "fridge", "phone", "washer", "computer", "air", "conditioner", "water",
                                 "heater"})
      w.erase(category);  // categories are codes: the screen names them in Chinese
    return w;
  }();
  return words;
}

// A token that is a code, not a word: letters with digits or '_' (CARD_SERIAL_MISMATCH,
// TLM26V68-0811A00017, HISENSE-TLM26V68), a path or device address (/dev/ttyUSB0,
// escpos+tcp://..., cups:QUEUE), or a file's name (cards.csv).
inline bool is_code_token(const std::string& t) {
  if (t.empty()) return true;
  if (t[0] == '/' || t.find("://") != std::string::npos || t.rfind("escpos+", 0) == 0 || t.rfind("cups:", 0) == 0)
    return true;
  // A file's name, as the shop named it (a goods receipt's cards.csv): data, not the screen's words.
  for (const char* ext : {".csv", ".txt", ".pdf", ".png", ".db", ".json"}) {
    const std::string e = ext;
    if (t.size() > e.size() && t.compare(t.size() - e.size(), e.size(), e) == 0) return true;
  }
  bool upper_or_digit = true, digit_or_underscore = false;
  for (char ch : t) {
    const auto u = static_cast<unsigned char>(ch);
    if (std::isdigit(u) || ch == '_') digit_or_underscore = true;
    else if (!(std::isupper(u) || ch == '-' || ch == '.')) upper_or_digit = false;
  }
  return upper_or_digit && digit_or_underscore;
}

// The English words in `text` that are not allowed ("OK", "clerk", "card_no" as "card_no").
inline std::vector<std::string> english_words(const std::string& text) {
  std::vector<std::string> found;
  // Tokens: runs of printable ASCII that are no space; Chinese characters and punctuation split.
  std::string token;
  auto flush = [&] {
    // Brackets and quotes around a token are no part of it.
    const auto first = token.find_first_not_of("([{'\"<");
    const auto last = token.find_last_not_of(")]}'\".,;:!?>");
    const std::string t = first == std::string::npos ? "" : token.substr(first, last - first + 1);
    token.clear();
    if (is_code_token(t)) return;
    std::string word;
    for (char ch : t + " ") {
      if (std::isalpha(static_cast<unsigned char>(ch))) word += ch;
      else {
        if (word.size() >= 2 && !allowed_english().count(word) && !catalog_words().count(word))
          found.push_back(word);
        word.clear();
      }
    }
  };
  for (char ch : text) {
    const auto u = static_cast<unsigned char>(ch);
    if (u > 0x20 && u < 0x7f) token += ch;
    else flush();
  }
  flush();
  return found;
}

// Every (screen, text, word) left in English in a "screen_text" trace line, one per line.
inline std::string english_on_screen(const nlohmann::json& screen_text) {
  std::string report;
  for (const auto& w : screen_text["windows"])
    for (const auto& t : w["texts"]) {
      const std::string text = t.get<std::string>();
      for (const auto& word : english_words(text))
        report += "  [" + w.value("screen", "") + "] \"" + word + "\" in: " + text + "\n";
    }
  return report;
}

// Asks for the texts of every shown window once the screen has settled; with `title`, asks
// again (bounded) until a window of that title is among them.
inline nlohmann::json ask_screen_text(Counter& c, const std::string& title = "") {
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  for (;;) {
    c.settled_screen();
    ::kill(c.pid(), SIGUSR1);
    const nlohmann::json got =
        c.wait_for("screen_text", [](const nlohmann::json& e) { return e["reason"] == "asked"; });
    const bool present = title.empty() || std::any_of(got["windows"].begin(), got["windows"].end(),
                                                      [&](const nlohmann::json& w) { return w["screen"] == title; });
    if (present) return got;
    if (std::chrono::steady_clock::now() > until)
      throw std::runtime_error("no window titled " + title + " on the screen: " + got.dump());
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

}  // namespace hn::test

// One line per screen (macros, so that a failure names the test's line and the words found).
#define check_chinese_screen(counter, title)                                                      \
  do {                                                                                           \
    const nlohmann::json seen_ = hn::test::ask_screen_text(counter, title);                      \
    INFO("English on the screen:\n" << hn::test::english_on_screen(seen_) << "texts: " << seen_.dump()); \
    CHECK(hn::test::english_on_screen(seen_).empty());                                           \
  } while (0)

// A message box as it is shown (caption, text and its buttons' labels).
#define check_chinese_message(counter, caption)                                                   \
  do {                                                                                           \
    const nlohmann::json seen_ = (counter).wait_for("screen_text", [&](const nlohmann::json& e) {  \
      return e["reason"] == "message" && e["windows"][0]["screen"] == (caption);                \
    });                                                                                          \
    INFO("English in the message box:\n" << hn::test::english_on_screen(seen_) << "texts: " << seen_.dump()); \
    CHECK(hn::test::english_on_screen(seen_).empty());                                           \
  } while (0)
