#pragma once
// Reading an ID card face or a 户口簿 page from a picture (an image file, a flatbed scan, a
// camera frame) with Tesseract OCR: find the document in the picture, straighten it, match it
// against the layouts (which document, which way up), read each field by its box, and check
// what was read (fields.hpp). The picture is only ever in memory: nothing here writes it, or
// any part of it, anywhere.
#include <array>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/date.hpp"
#include "document/fields.hpp"
#include "document/layout.hpp"
#include "imaging/error.hpp"
#include "imaging/image.hpp"
#include "imaging/warp.hpp"

namespace hn::document {

struct Reading {
  Kind kind = Kind::IdFront;
  bool kind_detected = false;  // the caller did not say which document it is
  bool whole_picture = false;  // a scanner's crop: the picture is the document
  std::array<imaging::PointF, 4> corners{};  // the document's corners in the picture
  std::vector<FieldReading> fields;
  IdCheck id_check = IdCheck::None;
  double layout_match = 0;  // correlation of the picture with the layout, 0-1
  double seconds = 0;       // time spent reading

  const FieldReading* field(std::string_view name) const;
  // Nothing doubtful: every field can go to the buyer panel without a second look.
  bool all_sure() const;
};

struct ReaderOptions {
  // Tesseract's language data; empty: $TESSDATA_PREFIX, else Debian's
  // /usr/share/tesseract-ocr/5/tessdata (tesseract-ocr-chi-sim, tesseract-ocr-eng).
  std::string tessdata_dir;
  // A field whose least sure character scores under this is doubtful.
  int min_confidence = 70;
  // Bounds the birth date; empty: only the calendar is checked.
  std::optional<Date> today;
};

class DocumentReader {
 public:
  // Loads the OCR models (chi_sim and eng, ~0.3 s): open once, read many times. One reader is
  // for one thread at a time.
  static imaging::Result<std::unique_ptr<DocumentReader>> open(const ReaderOptions& options = {});
  ~DocumentReader();
  DocumentReader(const DocumentReader&) = delete;
  DocumentReader& operator=(const DocumentReader&) = delete;

  // `kind` empty: the reader decides between the documents whose shape fits. Errors:
  // IMAGE_EMPTY, DOCUMENT_NOT_FOUND (no card or page in the picture, or cut off), DOCUMENT_KIND
  // (the picture does not look like the document asked for).
  imaging::Result<Reading> read(const imaging::ImageRef& picture, std::optional<Kind> kind = std::nullopt);

  void set_today(std::optional<Date> today) { options_.today = today; }

 private:
  struct Engines;
  explicit DocumentReader(ReaderOptions options, std::unique_ptr<Engines> engines);
  ReaderOptions options_;
  std::unique_ptr<Engines> engines_;
};

// Finding the document: the four corners of the largest bright quadrilateral of a grey
// picture (top-left, top-right, bottom-right, bottom-left as seen, the first side the longer),
// or nothing. `whole` is set when the picture is a scanner's crop of the document.
std::optional<std::array<imaging::PointF, 4>> find_document(const imaging::Image& grey, bool& whole);

}  // namespace hn::document
