// make_document KIND SEED SET OUT.png [--print]: one made-up person's document as a picture
// (render.hpp), for the CLI and GUI tests and by hand. --print writes the person's fields.
#include <iostream>
#include <string>

#include "render.hpp"

int main(int argc, char** argv) {
  using namespace hn;
  if (argc < 5) {
    std::cerr << "usage: make_document id-front|id-back|hukou-first|hukou-member SEED SET OUT.png [--print]\n";
    return 2;
  }
  const auto kind = document::parse_kind(argv[1]);
  if (!kind) return 2;
  testing::Rng rng(std::stoull(argv[2]));
  const auto person = testing::make_person(rng);
  const auto doc = testing::render_document(*kind, person, 12);
  const auto d = testing::degradation_for(argv[3], rng);
  const auto picture = testing::make_picture(doc, 12, d, rng);
  if (!testing::write_png(picture, argv[4])) return 1;
  if (argc > 5)
    for (const auto& f : document::layout(*kind).fields)
      std::cout << f.name << "=" << testing::expected_field(person, *kind, f.name) << "\n";
  return 0;
}
