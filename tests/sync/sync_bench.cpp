// Upload budget (DESIGN.md): 10,000 queued sales to the sandbox on loopback in <= 5 s and
// <= 2x a bare libcurl loop posting the same bytes. Prints figures; never fails on a budget.
//   sync_bench [--sales N] [--batch N]
#include <curl/curl.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "budget_line.hpp"
#include "app/store_access.hpp"
#include "province_harness.hpp"
#include "sync/client/sale_wire.hpp"
#include "sync/client/sync_service.hpp"

using namespace hn;
using namespace hn::test;

namespace {
size_t drop(char*, size_t size, size_t n, void*) { return size * n; }
double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}
}  // namespace

int main(int argc, char** argv) {
  int n = 10000, batch = 200;
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::string(argv[i]) == "--sales") n = std::atoi(argv[++i]);
    else if (std::string(argv[i]) == "--batch") batch = std::atoi(argv[++i]);
  }
  try {
    TempDir dir;
    // Two provinces with the same outlet and cards: one for our client, one for the bare loop,
    // so both do the same real work (every sale new, none a cheap duplicate).
    const std::string ours_dir = dir.path() + "/ours", bare_dir = dir.path() + "/bare";
    std::filesystem::create_directories(ours_dir);
    std::filesystem::create_directories(bare_dir);
    Province ours(ours_dir), bare(bare_dir);
    const auto cred = ours.add_outlet("AH-XX-0001", 1, n, dir.file("cards.csv"));
    const auto bare_cred = bare.add_outlet("AH-XX-0001", 1, n, dir.file("cards2.csv"));
    TestTerminal t(dir.file("a.db"), "AH-XX-0001", dir.file("cards.csv"));
    const auto made = std::chrono::steady_clock::now();
    for (int i = 1; i <= n; ++i)
      if (!t.sell_tv(tv_card(i), "H" + std::to_string(i))) throw std::runtime_error("sale refused");
    std::printf("made %d offline sales in %.1f s\n", n, seconds_since(made));

    // The same request bodies our client sends, built beforehand for the bare loop.
    std::vector<std::string> bodies;
    for (int first = 1; first <= n; first += batch) {
      nlohmann::json sales = nlohmann::json::array();
      for (int id = first; id < first + batch && id <= n; ++id)
        sales.push_back(sync::sale_to_wire(*hn::app::store_of(*t.t).sales().find(id)));
      bodies.push_back(nlohmann::json{{"sales", sales}}.dump());
    }
    ours.serve();
    bare.serve();

    sync::SyncService::Options o;
    o.batch_size = batch;
    auto client = sync::ProvinceClient::connect(ours.url(), sync::load_credential(cred));
    const auto t0 = std::chrono::steady_clock::now();
    const auto counts = sync::SyncService(hn::app::store_of(*t.t), *client, unix_ms, o).drain(std::chrono::minutes(5));
    const double ours_s = seconds_since(t0);

    const auto key = sync::load_credential(bare_cred);
    CURL* h = curl_easy_init();
    const auto t1 = std::chrono::steady_clock::now();
    for (const auto& body : bodies) {
      const std::string path = "/api/v1/sales";
      const auto headers = sync::sign_request(key, "POST", path, body, unix_ms() / 1000);
      curl_slist* list = nullptr;
      for (const auto& [k, v] : headers.list()) list = curl_slist_append(list, (k + ": " + v).c_str());
      list = curl_slist_append(list, "Content-Type: application/json");
      list = curl_slist_append(list, "Expect:");
      curl_easy_setopt(h, CURLOPT_URL, (bare.url() + path).c_str());
      curl_easy_setopt(h, CURLOPT_HTTPHEADER, list);
      curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.data());
      curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
      curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, drop);
      curl_easy_perform(h);
      curl_slist_free_all(list);
    }
    const double bare_s = seconds_since(t1);
    curl_easy_cleanup(h);

    std::printf("upload %d sales, batches of %d: ours %.2f s (accepted %d, pending %d), bare libcurl loop %.2f s\n",
                n, batch, ours_s, counts.accepted, counts.pending, bare_s);
    std::printf("%-34s %8.2f s   budget %5.2f s   %s\n", "upload time", ours_s, 5.0, ours_s <= 5.0 ? "met" : "MISSED");
    std::printf("%-34s %8.2f x   budget %5.2f x   %s\n", "against the bare libcurl loop", ours_s / bare_s, 2.0,
                ours_s / bare_s <= 2.0 ? "met" : "MISSED");
    using hn::bench::figure;
    const std::string what = "upload of " + std::to_string(n) + " sales";
    hn::bench::print_budget_line(what + " (time)", figure("%.2f s", ours_s), "<= 5 s", ours_s / 5.0);
    hn::bench::print_budget_line(what + " vs bare libcurl",
                                 figure("%.2fx bare", ours_s / bare_s) + " (" + figure("%.2f", ours_s) + " vs " +
                                     figure("%.2f s", bare_s) + ")",
                                 "<= 2x bare", ours_s / bare_s / 2.0);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "sync_bench: %s\n", e.what());
    return 1;
  }
  // The client (in this process) and the largest sandbox server it ran, now reaped.
  hn::bench::print_rss_line("sync_bench (terminal side: sales, outbox, client)", hn::bench::self_peak_rss_mib());
  hn::bench::print_rss_line("huinong-sandbox (largest child)", hn::bench::children_peak_rss_mib());
  return 0;
}
