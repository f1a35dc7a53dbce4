// `huinong device read-document FILE`: the real binary on pictures made here. The ID number is
// masked unless a manager asks; --full without one is refused before anything is read; a read
// with --user is journaled without the picture or any field in clear.
#include <string>

#include <catch2/catch.hpp>

#include "cli_harness.hpp"
#include "render.hpp"

using namespace hn_cli;

namespace {
struct Picture {
  hn::testing::Person person;
  std::string path;
};
Picture picture(const TempDir& dir, hn::document::Kind kind, std::uint64_t seed, const std::string& set = "counter") {
  hn::testing::Rng rng(seed);
  Picture p{hn::testing::make_person(rng), dir.file("doc.jpg")};
  const auto d = hn::testing::degradation_for(set, rng);
  const auto img = hn::testing::make_picture(hn::testing::render_document(kind, p.person, 12), 12, d, rng);
  write_file(p.path, hn::testing::encode_jpeg(img, 85));
  return p;
}
}  // namespace

TEST_CASE("read-document prints an ID card's fields with the number masked and its check", "[document][cli]") {
  TempDir home;
  const auto p = picture(home, hn::document::Kind::IdFront, 34, "clean");
  const auto r = run_huinong({"--json", "device", "read-document", p.path, "--kind", "id-front"}, base_env(home.path()));
  INFO(r.describe());
  REQUIRE(r.exit_code == 0);
  const auto j = r.json();
  CHECK(j["kind"] == "id-front");
  CHECK(j["check_digit_holds"] == true);
  CHECK(j["id_check"] == "ok");
  const std::string id = j["fields"]["id_number"]["text"];
  CHECK(id == p.person.id_number.substr(0, 4) + "**********" + p.person.id_number.substr(14));
  CHECK_FALSE(contains(r.out, p.person.id_number));
  // The name is OCR's best effort (its accuracy is reader_test's table): a value and a score.
  CHECK(j["fields"]["name"]["confidence"].is_number());
  CHECK(j["fields"]["name"]["doubtful"].is_boolean());
  const auto text = run_huinong({"device", "read-document", p.path}, base_env(home.path()));
  INFO(text.describe());
  CHECK(text.exit_code == 0);
  CHECK(contains(text.out, "公民身份号码 ID number"));
  CHECK(contains(text.out, "校验位正确"));
}

TEST_CASE("read-document reads the 户别 of a register's first page", "[document][cli]") {
  TempDir home;
  const auto p = picture(home, hn::document::Kind::HukouFirst, 32, "clean");
  const auto r = run_huinong({"--json", "device", "read-document", p.path}, base_env(home.path()));
  INFO(r.describe());
  REQUIRE(r.exit_code == 0);
  const auto j = r.json();
  CHECK(j["kind"] == "hukou-first");
  CHECK(j["kind_detected"] == true);
  CHECK(j["fields"]["hukou_type"]["text"] == p.person.hukou_type);
  CHECK(j["check_digit_holds"].is_null());
}

TEST_CASE("read-document refuses --full without a manager, bad kinds and pictures with no document", "[document][cli]") {
  TempDir home;
  const auto p = picture(home, hn::document::Kind::IdFront, 33);
  const auto full = run_huinong({"device", "read-document", p.path, "--full"}, base_env(home.path()));
  CHECK(full.exit_code == 4);
  CHECK(contains(full.err, "FULL_ID_NEEDS_MANAGER"));
  const auto kind = run_huinong({"device", "read-document", p.path, "--kind", "passport"}, base_env(home.path()));
  CHECK(kind.exit_code == 2);
  const auto missing = run_huinong({"device", "read-document", home.file("none.png")}, base_env(home.path()));
  CHECK(missing.exit_code == 2);
  hn::imaging::Image counter;
  counter.width = 320;
  counter.height = 180;
  counter.channels = 1;
  counter.pixels.assign(320 * 180, 50);
  hn::testing::write_png(counter, home.file("empty.png"));
  const auto none = run_huinong({"device", "read-document", home.file("empty.png")}, base_env(home.path()));
  CHECK(none.exit_code == 2);
  CHECK(contains(none.err, "DOCUMENT_NOT_FOUND"));
}

TEST_CASE("a manager sees the full number, and the read is journaled without personal data", "[document][cli]") {
  DemoOutlet outlet;
  const auto p = picture(outlet.dir(), hn::document::Kind::IdFront, 34, "clean");
  const auto r = outlet.run({"--json", "device", "read-document", p.path, "--full", "--user", demo::kManager},
                            {{"HUINONG_PIN", demo::kManagerPin}});
  INFO(r.describe());
  REQUIRE(r.exit_code == 0);
  CHECK(r.json()["fields"]["id_number"]["text"] == p.person.id_number);
  const auto bodies = outlet.reader().column("SELECT body FROM journal WHERE kind = 'document_read'");
  REQUIRE(bodies.size() == 1);
  CHECK(contains(bodies[0], "\"kind\":\"id-front\""));
  CHECK(contains(bodies[0], "\"image_kept\":false"));
  CHECK_FALSE(contains(bodies[0], p.person.id_number));
  CHECK_FALSE(contains(bodies[0], p.person.name));
  const auto clerk = outlet.run({"device", "read-document", p.path, "--full", "--user", demo::kClerk},
                                {{"HUINONG_PIN", demo::kClerkPin}});
  CHECK(clerk.exit_code == 4);
}
