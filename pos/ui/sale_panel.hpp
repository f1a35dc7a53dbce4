#pragma once
// The counter screen: buyer panel, scan field, lines with their findings, totals, F-keys.
// Keyboard and scanner only. All state lives in app::CounterSession; all checks run on the
// worker through Terminal::preview, the same engine checkout runs.
#include <chrono>
#include <deque>
#include <map>
#include <string>

#include <wx/button.h>
#include <wx/choice.h>
#include <wx/listctrl.h>
#include <wx/panel.h>
#include <wx/scrolwin.h>
#include <wx/statbmp.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>

#include "app/counter.hpp"
#include "app/devices.hpp"
#include "app/terminal.hpp"
#include "ui/document_scan.hpp"
#include "ui/worker.hpp"

namespace hn::ui {

class MainFrame;
struct PrintOutcome;  // counter_printer.hpp

class SalePanel : public wxPanel {
 public:
  SalePanel(wxWindow* parent, MainFrame& frame);
  void start(const app::UserRecord& user);
  // F-keys; true when the key was ours.
  bool handle_key(wxKeyEvent& event);

  // Devices (sale_devices.cpp, issue 15). A card put on the reader: fills the buyer panel when
  // the sale has no buyer yet, or is refused (expired, a number that does not check out).
  void card_read(const app::IdCardData& card);
  // A code from a serial scanner: into the scan field's queue exactly as the wedge's.
  void serial_scan(const std::string& code);
  // Tells the reader whether the sale waits for a buyer's card.
  void update_reader_arm();

 private:
  struct Scan {
    std::string code;
    app::EntryMode mode;
    std::chrono::steady_clock::time_point at;
    int selected = -1;  // the line the clerk had selected: a serial may correct it
  };
  struct Preview {
    app::CounterSession session;  // after the scan, if the job carried one
    SaleCheck check;
    std::vector<Fen> prices;  // the price each line goes out at
    std::string scanned;      // the code that was scanned, if any
    app::ScanOutcome outcome = app::ScanOutcome::NewLine;
  };

  void build();
  void on_id_text();
  void check_id(bool entered);
  void on_buyer_changed();
  void on_scan_enter();
  void pump_scans();
  void request_preview(std::optional<Scan> scan = std::nullopt);
  void show(const Preview& p, double scan_ms);
  void change_price();
  void remove_line();
  void new_sale();
  void checkout();
  // Corrections and questions (sale_flow.cpp, issue 16): F7 asks before a cart is thrown
  // away, F10 on a blocked sale says why, the detail pane shows the selected line whole.
  void discard_sale();
  void explain_blocked();
  void show_detail();
  // 户号's form under the field: at once for a character no 户号 has, when `entered` (Enter)
  // for one too short. False when it is refused.
  bool show_household_form(bool entered);
  void after_scan(const Preview& p);
  void clear_id_marks();
  void show_help();
  void open_manager_menu();
  // F8 (sale_hold.cpp, issue 16): with lines, hold the sale and clear the counter; on an empty
  // counter, the list of held sales, one of which is recalled into the counter.
  void hold_or_recall();
  void recall(const app::HeldSale& h);
  // F6: the buyer's ID card or 户口簿 page read by OCR into the buyer panel (issue 9).
  void scan_document();
  void apply_document(const document::Reading& r);
  void mark_doubtful(wxWindow* field, bool doubtful);
  // F12: a label card or serial sticker read by the camera, added as a scan.
  void camera_scan();
  void build_card_area(wxWindow* box, wxSizer* sizer);
  void clear_card();
  bool wants_card() const;
  int selected_line() const;

  MainFrame& frame_;
  Liveness liveness_;
  app::UserRecord user_;
  app::CounterSession session_;
  app::ScanDetector detector_;
  std::int64_t enter_at_ = 0;  // when the Enter that ends a code was pressed
  SaleCheck check_;
  std::vector<Fen> prices_;
  std::map<std::string, Fen> caps_;  // card -> its cap, once known
  std::deque<Scan> scans_;
  bool scan_busy_ = false;
  bool checking_out_ = false;
  bool id_shown_masked_ = false;
  std::uint64_t generation_ = 0;

  wxTextCtrl* id_ = nullptr;
  wxStaticText* id_state_ = nullptr;
  wxTextCtrl* name_ = nullptr;
  wxTextCtrl* household_ = nullptr;
  wxChoice* hukou_ = nullptr;
  wxStaticText* remaining_ = nullptr;
  wxStaticText* document_note_ = nullptr;  // what F6 read, and what to check
  wxStaticText* card_info_ = nullptr;      // what the card reader read: sex, nation, validity
  wxStaticBitmap* card_photo_ = nullptr;   // the card's photo, where it can be decoded
  wxTextCtrl* scan_ = nullptr;
  wxStaticText* hint_ = nullptr;
  wxListCtrl* lines_ = nullptr;
  // The last printed invoice, shown in place of the lines until the next sale begins.
  wxScrolledWindow* receipt_ = nullptr;
  wxStaticBitmap* receipt_image_ = nullptr;
  void show_receipt(const wxImage& image);
  // What became of the last printout; F12 prints the last sale's invoice again (a copy).
  wxStaticText* print_note_ = nullptr;
  std::int64_t last_invoice_ = 0;
  void show_print(const PrintOutcome& p);
  void reprint_last();
  void hide_receipt();
  wxListCtrl* findings_ = nullptr;
  wxStaticText* detail_ = nullptr;     // the selected line in full: card, serial, model, findings
  wxString detail_text_;               // what it shows, before wrapping
  wxStaticText* household_state_ = nullptr;  // 户号's form refused, under the field
  wxStaticText* total_ = nullptr;
  wxStaticText* subsidy_ = nullptr;
  wxStaticText* pay_ = nullptr;
  wxButton* checkout_ = nullptr;
  std::unique_ptr<DocumentScanner> documents_;
  wxStaticText* last_sale_ = nullptr;
};

}  // namespace hn::ui
