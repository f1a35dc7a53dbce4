// F6 at the counter: the buyer's ID card read by OCR from the camera (its simulator: a picture
// file made here from a seed, tests/hardware/document) into the buyer panel, with the clerk's
// confirmation that the buyer agreed, and journaled without the picture.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>

#include "counter_harness.hpp"

using hn::test::Counter;
using namespace hn::test;
using nlohmann::json;

namespace {
// A counter-camera picture of a made-up person's ID card; returns the person's fields as printed.
std::string make_picture(const std::string& kind, int seed, const std::string& set, const std::string& out) {
  const std::string fields = out + ".txt";
  const std::string cmd = std::string(HUINONG_MAKE_DOCUMENT_BIN) + " " + kind + " " + std::to_string(seed) + " " +
                          set + " " + out + " --print > " + fields;
  REQUIRE(std::system(cmd.c_str()) == 0);
  std::ifstream in(fields);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string value_of(const std::string& printed, const std::string& field) {
  const auto at = printed.find(field + "=");
  REQUIRE(at != std::string::npos);
  const auto start = at + field.size() + 1;
  return printed.substr(start, printed.find('\n', start) - start);
}

// Says yes to the consent question: the key may come before the dialog has the focus, so it is
// pressed again until the read starts (a stray Enter on the sale screen does nothing).
void agree(Counter& c) {
  c.wait_for("document_consent_shown");
  for (int i = 0; i < 5; ++i) {
    c.key("Return");
    try {
      c.wait_for("document_reading", nullptr, 2);
      return;
    } catch (const std::exception&) {
    }
  }
  FAIL("the consent dialog never took the Enter key");
}
}  // namespace

TEST_CASE("F6 reads the buyer's ID card into the buyer panel, masked, and journals only the fact", "[gui][document]") {
  const std::string picture = "/tmp/huinong-gui-id-front-" + std::to_string(::getpid()) + ".png";
  const std::string page = "/tmp/huinong-gui-hukou-first-" + std::to_string(::getpid()) + ".png";
  const std::string printed = make_picture("id-front", 31, "counter", picture);
  const std::string printed_page = make_picture("hukou-first", 32, "counter", page);
  // The camera's simulator: the card, then the register's first page.
  Counter c("li", {"--document-source", picture + "," + page});
  c.login(kClerkPin);
  c.key("F6");
  agree(c);
  const json read = c.wait_for("document_read", nullptr, 60);
  CHECK(read["kind"] == "id-front");
  CHECK(read["id_check"] == "ok");
  const std::string id = value_of(printed, "id_number");
  CHECK(read["buyer_id_masked"] == id.substr(0, 4) + "**********" + id.substr(14));
  const auto& filled = read["filled"];
  CHECK(std::find(filled.begin(), filled.end(), "id_number") != filled.end());
  c.key("F6");
  agree(c);
  const json first_page = c.wait_for("document_read", nullptr, 60);
  for (const auto& f : {picture, page}) {
    std::remove(f.c_str());
    std::remove((f + ".txt").c_str());
  }
  CHECK(first_page["kind"] == "hukou-first");
  // 户别 and 户号 are filled, or flagged for the clerk: never silently left as they were.
  for (const char* field : {"hukou_type", "household_no"}) {
    const auto& f = first_page["filled"];
    const auto& d = first_page["doubtful"];
    CHECK((std::find(f.begin(), f.end(), field) != f.end() || std::find(d.begin(), d.end(), field) != d.end()));
  }
  (void)printed_page;
  c.settled_screen();
  c.screenshot("document-read");
  CHECK(c.count("SELECT COUNT(*) FROM journal WHERE kind = 'document_read' AND body LIKE '%\"buyer_agreed\":true%' "
                "AND body NOT LIKE '%" + id + "%'") == 2);
}

TEST_CASE("F6 then Escape reads nothing: the buyer did not agree", "[gui][document]") {
  Counter c("li", {"--document-source", "/nonexistent.png"});
  c.login(kClerkPin);
  c.key("F6");
  c.wait_for("document_consent_shown");
  for (int i = 0; i < 5; ++i) {
    c.key("Escape");
    try {
      c.wait_for("document_declined", nullptr, 2);
      break;
    } catch (const std::exception&) {
      if (i == 4) throw;
    }
  }
  CHECK(c.count("SELECT COUNT(*) FROM journal WHERE kind = 'document_read'") == 0);
}
