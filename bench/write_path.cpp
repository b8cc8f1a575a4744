// Benchmark of the replicated write path: N people written through
// core::Writer (ids, field versions, change log) against plain INSERTs of the
// same rows into the same table, each in one transaction on a real WAL
// database file, timed up to a checkpoint of the WAL into the database (so
// that both pay for all the pages they write, not whichever happens to cross
// the auto-checkpoint size). Prints the median of several rounds and the ratio.
//
//   bench_write_path [N] [ROUNDS]
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <vector>

#include "core/db.hpp"
#include "core/node.hpp"
#include "core/replica.hpp"
#include "core/util/time.hpp"
#include "core/util/uuid.hpp"

using namespace setevoe;

namespace {

struct Row {
  std::string id, name, position;
};

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

std::string fresh_db(const std::filesystem::path& dir, int round, const char* what) {
  auto path = (dir / fmt::format("{}-{}.db", what, round)).string();
  core::InitOptions o;
  o.name = "bench";
  core::init_node(path, o);
  return path;
}

double plain(const std::string& path, const std::vector<Row>& rows, const std::string& org, const std::string& owner) {
  auto db = core::Db::open(path, core::OpenMode::existing);
  auto t0 = std::chrono::steady_clock::now();
  core::Transaction tx(db, core::Transaction::Kind::write);
  core::Stmt s(
      db, "INSERT INTO person (id, owner, name, org, position, status, _v) VALUES (?, ?, ?, ?, ?, 'active', '{}')");
  for (const auto& r : rows) {
    s.reset();
    s.bind(1, r.id).bind(2, owner).bind(3, r.name).bind(4, org).bind(5, r.position).run();
  }
  tx.commit();
  db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  return seconds_since(t0);
}

double replicated(const std::string& path, const std::vector<Row>& rows, const std::string& org) {
  auto db = core::Db::open(path, core::OpenMode::existing);
  auto t0 = std::chrono::steady_clock::now();
  core::Writer w(db);
  for (const auto& r : rows)
    w.create(core::tables::person, {{"name", r.name}, {"org", org}, {"position", r.position}, {"status", "active"}});
  w.commit();
  db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  return seconds_since(t0);
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  int n = argc > 1 ? std::atoi(argv[1]) : 10000;
  int rounds = argc > 2 ? std::atoi(argv[2]) : 7;
  auto dir = std::filesystem::temp_directory_path() / fmt::format("setevoe-bench-{}", ::getpid());
  std::filesystem::create_directories(dir);
  std::vector<Row> rows;
  for (int i = 0; i < n; ++i)
    rows.push_back(
        {util::uuid7(util::system_clock_ms()), fmt::format("Учитель Номер {} Тестовый", i), "учитель математики"});
  std::string org = util::uuid7(util::system_clock_ms());
  std::vector<double> a, b;
  for (int round = 0; round < rounds; ++round) {
    // Alternate the order so neither side always runs on a warmer cache.
    auto p = fresh_db(dir, round, "plain"), r = fresh_db(dir, round, "replicated");
    std::string owner;
    {
      auto db = core::Db::open(p, core::OpenMode::existing);
      owner = core::self_node(db).id;
    }
    if (round % 2) {
      b.push_back(replicated(r, rows, org));
      a.push_back(plain(p, rows, org, owner));
    } else {
      a.push_back(plain(p, rows, org, owner));
      b.push_back(replicated(r, rows, org));
    }
  }
  if (!std::getenv("SETEVOE_BENCH_KEEP"))
    std::filesystem::remove_all(dir);
  else
    fmt::print("kept {}\n", dir.string());
  double ma = median(a), mb = median(b);
  fmt::print("| write {} people: plain INSERTs, one transaction | {:.1f} ms | {:.2f} µs/row |\n", n, ma * 1e3,
             ma * 1e6 / n);
  fmt::print("| write {} people: replicated write path, one transaction | {:.1f} ms | {:.2f} µs/row |\n", n, mb * 1e3,
             mb * 1e6 / n);
  fmt::print("| change-tracking overhead (replicated / plain, goal ≤ 1.5×) | {:.2f}× | median of {} rounds |\n",
             mb / ma, rounds);
  return 0;
}
