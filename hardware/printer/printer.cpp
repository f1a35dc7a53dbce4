#include "printer/printer.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "core/printer_uri.hpp"
#include "core/text.hpp"
#include "printer/a4.hpp"
#include "printer/document.hpp"
#include "printer/port.hpp"

extern char** environ;

namespace hn::printer {

namespace {

class EscPosPrinter final : public InvoicePrinter {
 public:
  explicit EscPosPrinter(std::unique_ptr<PrinterPort> port) : port_(std::move(port)) {}
  Result<Done> print(const Invoice& inv, const ReceiptOptions& options) override {
    return port_->write(receipt_bytes(inv, options));
  }
  Result<Done> print_document(const Document& doc, const ReceiptOptions& options) override {
    return port_->write(document_bytes(doc, options));
  }

 private:
  std::unique_ptr<PrinterPort> port_;
};

Error file_error(const std::string& code, const std::string& path, const std::string& zh,
                 const std::string& en) {
  const std::string reason = std::strerror(errno);
  return {code, zh + " " + path + "(" + reason + ")", en + " " + path + " (" + reason + ")"};
}

// Writes the PDF beside its final name and renames it into place: never a half PDF.
class PdfPrinter final : public InvoicePrinter {
 public:
  PdfPrinter(std::string path, int fd, std::string tmp)
      : path_(std::move(path)), fd_(fd), tmp_(std::move(tmp)) {}
  ~PdfPrinter() override {
    if (fd_ >= 0) {
      ::close(fd_);
      ::unlink(tmp_.c_str());
    }
  }
  PdfPrinter(const PdfPrinter&) = delete;
  PdfPrinter& operator=(const PdfPrinter&) = delete;

  Result<Done> print(const Invoice& inv, const ReceiptOptions&) override {
    const auto pdf = invoice_pdf(inv);
    if (!pdf) return pdf.error();
    return save(pdf.value());
  }
  Result<Done> print_document(const Document& doc, const ReceiptOptions&) override {
    const auto pdf = document_pdf(doc);
    if (!pdf) return pdf.error();
    return save(pdf.value());
  }

 private:
  // One PDF per printer opened: the file is complete once renamed into place.
  Result<Done> save(const std::string& pdf) {
    if (fd_ < 0)
      return Error{"PRINTER_WRITE", "PDF " + path_ + " 已写好:请重新打开打印机再打印",
                   "the PDF " + path_ + " is already written: open the printer again to print"};
    std::size_t done = 0;
    while (done < pdf.size()) {
      const ssize_t n = ::write(fd_, pdf.data() + done, pdf.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return file_error("PRINTER_WRITE", tmp_, "无法写入", "cannot write");
      done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd_) != 0 || ::close(fd_) != 0) {
      fd_ = -1;
      ::unlink(tmp_.c_str());
      return file_error("PRINTER_WRITE", tmp_, "无法写入", "cannot write");
    }
    fd_ = -1;
    if (::rename(tmp_.c_str(), path_.c_str()) != 0) {
      ::unlink(tmp_.c_str());
      return file_error("PRINTER_WRITE", path_, "无法保存", "cannot save");
    }
    return Done{};
  }

  std::string path_;
  int fd_;
  std::string tmp_;
};

std::string find_in_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/bin:/bin";
  std::size_t start = 0;
  while (start <= dirs.size()) {
    const auto end = std::min(dirs.find(':', start), dirs.size());
    const std::string candidate = dirs.substr(start, end - start) + "/" + program;
    if (end > start && ::access(candidate.c_str(), X_OK) == 0) return candidate;
    start = end + 1;
  }
  return "";
}

// Runs a program with these arguments (no shell), its output discarded; true on exit 0.
bool run_quietly(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  const int err = ::posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (err != 0) return false;
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) return false;
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

// The A4 PDF handed to the system's printing: `lp -d QUEUE -t TITLE FILE`.
class CupsPrinter final : public InvoicePrinter {
 public:
  CupsPrinter(std::string queue, std::string lp) : queue_(std::move(queue)), lp_(std::move(lp)) {}

  Result<Done> print(const Invoice& inv, const ReceiptOptions&) override {
    const auto pdf = invoice_pdf(inv);
    if (!pdf) return pdf.error();
    return hand_over(pdf.value(), "invoice " + inv.invoice_no, "发票", "the invoice");
  }
  Result<Done> print_document(const Document& doc, const ReceiptOptions&) override {
    const auto pdf = document_pdf(doc);
    if (!pdf) return pdf.error();
    return hand_over(pdf.value(), doc.number.empty() ? "document" : "document " + doc.number,
                     doc.title, "the document");
  }

 private:
  // The PDF to the spooler under this job title; `what_zh`/`what_en` name it in the error.
  Result<Done> hand_over(const std::string& pdf, const std::string& job_title,
                         const std::string& what_zh, const std::string& what_en) {
    const char* tmpdir = std::getenv("TMPDIR");
    std::string tmpl = std::string(tmpdir && *tmpdir ? tmpdir : "/tmp") + "/huinong-print-XXXXXX";
    const int fd = ::mkstemp(tmpl.data());  // owner-only: the PDF carries the ID number
    if (fd < 0)
      return file_error("PRINTER_WRITE", tmpl, "无法写临时文件", "cannot write the temporary file");
    const bool written = ::write(fd, pdf.data(), pdf.size()) == static_cast<ssize_t>(pdf.size());
    ::close(fd);
    if (!written) {
      ::unlink(tmpl.c_str());
      return file_error("PRINTER_WRITE", tmpl, "无法写临时文件", "cannot write the temporary file");
    }
    const bool taken = run_quietly({lp_, "-d", queue_, "-t", job_title, tmpl});
    ::unlink(tmpl.c_str());  // lp has copied it to the spooler by the time it exits
    if (!taken)
      return Error{"PRINTER_CUPS", "打印队列 " + queue_ + " 没有接受" + what_zh + "(lp 失败)",
                   "the print queue " + queue_ + " did not take " + what_en + " (lp failed)"};
    return Done{};
  }

  std::string queue_;
  std::string lp_;
};

}  // namespace

Result<PrinterUri> parse_printer_uri(const std::string& uri) {
  // One grammar (core/printer_uri.hpp): the settings are checked with the same parse.
  const auto parsed = parse_printer_address(uri);
  if (!parsed.address) return Error{parsed.code, parsed.message_zh, parsed.message_en};
  const PrinterAddress& a = *parsed.address;
  PrinterUri u;
  switch (a.kind) {
    case PrinterAddress::Kind::EscPosFile: u.kind = PrinterUri::Kind::EscPosFile; break;
    case PrinterAddress::Kind::EscPosSerial: u.kind = PrinterUri::Kind::EscPosSerial; break;
    case PrinterAddress::Kind::EscPosTcp: u.kind = PrinterUri::Kind::EscPosTcp; break;
    case PrinterAddress::Kind::Pdf: u.kind = PrinterUri::Kind::Pdf; break;
    case PrinterAddress::Kind::Cups: u.kind = PrinterUri::Kind::Cups; break;
  }
  u.path = a.path;
  u.port = a.port;
  u.baud = a.baud;
  u.paper = a.paper_mm == 58 ? Paper::Mm58 : Paper::Mm80;
  return u;
}

Result<std::unique_ptr<InvoicePrinter>> open_printer(const PrinterUri& uri) {
  Result<std::unique_ptr<PrinterPort>> port = Error{};
  switch (uri.kind) {
    case PrinterUri::Kind::EscPosFile:
      port = open_file_port(uri.path);
      break;
    case PrinterUri::Kind::EscPosSerial:
      port = open_serial_port(uri.path, uri.baud);
      break;
    case PrinterUri::Kind::EscPosTcp:
      port = open_tcp_port(uri.path, uri.port);
      break;
    case PrinterUri::Kind::Pdf: {
      const std::string tmp = uri.path + ".part";
      const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
      if (fd < 0)
        return file_error("PRINTER_UNREACHABLE", uri.path, "无法写入 PDF", "cannot write the PDF");
      return std::unique_ptr<InvoicePrinter>(new PdfPrinter(uri.path, fd, tmp));
    }
    case PrinterUri::Kind::Cups: {
      const std::string lp = find_in_path("lp");
      if (lp.empty())
        return Error{"PRINTER_UNREACHABLE", "找不到 lp 命令:请安装 CUPS(cups-client)",
                     "no lp command: install CUPS (cups-client)"};
      // Where lpstat is installed, the queue must be one CUPS knows (and CUPS must answer).
      const std::string lpstat = find_in_path("lpstat");
      if (!lpstat.empty() && !run_quietly({lpstat, "-p", uri.path}))
        return Error{"PRINTER_UNREACHABLE",
                     "CUPS 没有打印队列 " + uri.path + "(或 CUPS 未运行):请用 lpstat -p 查看",
                     "CUPS has no print queue " + uri.path + " (or is not running): see lpstat -p"};
      return std::unique_ptr<InvoicePrinter>(new CupsPrinter(uri.path, lp));
    }
  }
  if (!port) return port.error();
  // Where the printer can answer, ask before anything is printed or recorded.
  const auto st = port.value()->status(500);
  if (!st.ready()) {
    std::string zh, en;
    if (st.paper_out) zh += " 缺纸", en += " out of paper;";
    if (st.cover_open) zh += " 机盖打开", en += " cover open;";
    if (st.offline) zh += " 脱机", en += " offline;";
    if (st.error) zh += " 故障", en += " in error;";
    if (!en.empty()) en.pop_back();
    return Error{"PRINTER_NOT_READY", "打印机 " + port.value()->describe() + " 未就绪:" + zh,
                 "printer " + port.value()->describe() + " is not ready:" + en};
  }
  return std::unique_ptr<InvoicePrinter>(new EscPosPrinter(std::move(port.value())));
}

}  // namespace hn::printer
