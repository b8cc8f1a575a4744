// Output of records as tables, JSON and CSV.
#include "cli/output.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <ostream>

#include "core/error.hpp"
#include "core/i18n.hpp"
#include "core/util/csv.hpp"
#include "core/util/text.hpp"
#include "core/util/time.hpp"

#include <ctime>

namespace setevoe::cli {

namespace {
void print_csv(Context& ctx, const std::vector<util::Json>& records, const std::vector<Column>& columns) {
  std::vector<std::string> header;
  for (const auto& c : columns) header.push_back(c.key);
  ctx.out() << util::csv_line(header);
  for (const auto& r : records) {
    std::vector<std::string> row;
    for (const auto& c : columns) {
      const auto* v = r.find(c.key);
      row.push_back(v ? v->text() : "");
    }
    ctx.out() << util::csv_line(row);
  }
}
}  // namespace

std::vector<Column> key_columns(std::initializer_list<const char*> keys) {
  std::vector<Column> out;
  for (const char* k : keys) out.push_back({k, ""});
  return out;
}

void print_list(Context& ctx, const std::vector<util::Json>& records, const std::vector<Column>& columns,
                Format format) {
  if (format == Format::json) {
    ctx.out() << util::Json(util::Json::Array(records)).dump() << '\n';
    return;
  }
  if (format == Format::csv) {
    print_csv(ctx, records, columns);
    return;
  }
  if (records.empty()) {
    ctx.say(core::tr("(nothing)"));
    return;
  }
  std::vector<std::string> header;
  for (const auto& c : columns) header.push_back(c.header);
  Table table(std::move(header));
  table.reserve(records.size());
  for (const auto& r : records)
    for (const auto& c : columns) {
      const auto* v = r.find(c.key);
      table.add(v ? v->text() : std::string());
    }
  print_table(ctx, table);
}

void PeriodOptions::add_to(CLI::App& cmd, bool with_previous_month) {
  m = cmd.add_option("--month", month, core::tr("a month: 2026-12 or 12.2026"))->type_name("MONTH");
  if (with_previous_month)
    pm = cmd.add_flag("--previous-month", previous_month, core::tr("the month before this one (for cron on the 1st)"));
  q = cmd.add_option("--quarter", quarter, core::tr("a quarter: 2026Q4"))->type_name("QUARTER");
  y = cmd.add_option("--year", year, core::tr("a year: 2027"))->type_name("YEAR");
  f = cmd.add_option("--from", from, core::tr("from this date (YYYY-MM-DD or DD.MM.YYYY)"))->type_name("DATE");
  t = cmd.add_option("--to", to, core::tr("to this date, included"))->type_name("DATE");
}

std::optional<PeriodOptions::Dates> PeriodOptions::dates(const std::string& today) const {
  using core::Error;
  using core::ErrorKind;
  int given = static_cast<int>(m->count() + q->count() + y->count() + (pm ? pm->count() : 0)) +
              ((f->count() || t->count()) ? 1 : 0);
  if (given > 1)
    throw Error(ErrorKind::usage,
                pm ? core::tr("give one period: --month, --previous-month, --quarter, --year, or --from and --to.")
                   : core::tr("give one period: --month, --quarter, --year, or --from and --to."));
  std::optional<util::DateRange> r;
  if (m->count()) {
    r = util::parse_month(month);
    if (!r) throw Error(ErrorKind::usage, core::trf("--month «{}» is not a month; write 2026-12 or 12.2026.", month));
  } else if (pm && pm->count()) {
    r = util::parse_month(util::add_days(today.substr(0, 8) + "01", -1).substr(0, 7));
  } else if (q->count()) {
    r = util::parse_quarter(quarter);
    if (!r)
      throw Error(ErrorKind::usage,
                  core::trf("--quarter «{}» is not a quarter; write 2026Q4 (the fourth quarter of 2026).", quarter));
  } else if (y->count()) {
    r = util::parse_year(year);
    if (!r) throw Error(ErrorKind::usage, core::trf("--year «{}» is not a year; write 2027.", year));
  }
  if (r) return Dates{r->from, r->to};
  if (!f->count() && !t->count()) return std::nullopt;
  Dates d;
  if (f->count()) d.from = from;
  if (t->count()) d.to = to;
  return d;
}

void print_table(Context& ctx, const Table& table) {
  table.write(ctx.out(), ctx.terminal_width(), ctx.colour());
}

void print_record(Context& ctx, const util::Json& record, const std::vector<Column>& columns, Format format) {
  if (format == Format::json) {
    ctx.out() << record.dump() << '\n';
    return;
  }
  if (format == Format::csv) {
    print_csv(ctx, {record}, columns);
    return;
  }
  std::size_t width = 0;
  for (const auto& c : columns) width = std::max(width, util::display_width(c.header));
  for (const auto& c : columns) {
    const auto* v = record.find(c.key);
    if (!v) continue;
    auto text = v->text();
    if (text.empty()) continue;
    ctx.out() << c.header << ':' << std::string(width - util::display_width(c.header) + 1, ' ') << text << '\n';
  }
}

std::string local_time(const std::string& iso, const std::string& tz) {
  if (iso.size() < 19) return iso;
  std::tm tm{};
  strptime(iso.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
  return util::local_datetime(static_cast<std::int64_t>(timegm(&tm)) * 1000, tz);
}

std::string today(Context& ctx) {
  return util::local_date(util::system_clock_ms(), ctx.self().time_zone);
}

std::string date_text(const std::string& ymd) {
  if (ymd.size() != 10 || ymd[4] != '-' || ymd[7] != '-') return ymd;
  return ymd.substr(8, 2) + "." + ymd.substr(5, 2) + "." + ymd.substr(0, 4);
}

void write_output(Context& ctx, const std::string& path, const std::string& content) {
  write_output(ctx, path, [&](std::ostream& out) { out << content; });
}

void write_output(Context& ctx, const std::string& path, const std::function<void(std::ostream&)>& write) {
  if (path == "-") {
    write(ctx.out());
    return;
  }
  namespace fs = std::filesystem;
  std::error_code ec;
  auto parent = fs::path(path).parent_path();
  if (parent.empty()) parent = ".";
  if (!fs::is_directory(parent, ec))
    throw core::Error(core::ErrorKind::cannot_create,
                      core::trf("cannot write {}: the folder {} does not exist.", path, parent.string()));
  if (fs::is_directory(path, ec))
    throw core::Error(core::ErrorKind::cannot_create, core::trf("cannot write {}: it is a folder.", path));
  // A device or a pipe (/dev/null, /dev/stdout, a FIFO) is written to, not
  // replaced: renaming over it would put a plain file in its place.
  if (auto st = fs::status(path, ec); !ec && fs::exists(st) && !fs::is_regular_file(st)) {
    std::ofstream f(path, std::ios::binary);
    write(f);
    f.flush();
    if (!f) throw core::Error(core::ErrorKind::io, core::trf("cannot write {}: {}.", path, std::strerror(errno)));
    return;
  }
  auto tmp = path + ".part-" + std::to_string(::getpid());
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f)
      throw core::Error(core::ErrorKind::cannot_create, core::trf("cannot write {}: {}.", path, std::strerror(errno)));
    try {
      write(f);
    } catch (...) {
      f.close();
      fs::remove(tmp, ec);
      throw;
    }
    f.flush();
    if (!f) {
      fs::remove(tmp, ec);
      throw core::Error(core::ErrorKind::io, core::trf("cannot write {}: {}.", path, std::strerror(errno)));
    }
  }
  fs::rename(tmp, path, ec);
  if (ec) {
    fs::remove(tmp, ec);
    throw core::Error(core::ErrorKind::io, core::trf("cannot write {}: {}.", path, ec.message()));
  }
}

ProgressLine::ProgressLine(Context& ctx, std::string label)
    : m_ctx(ctx), m_label(std::move(label)), m_enabled(!ctx.quiet && ::isatty(STDERR_FILENO)) {}

ProgressLine::~ProgressLine() {
  finish();
}

void ProgressLine::operator()(std::uint64_t done, std::uint64_t total) {
  if (!m_enabled || total < (8u << 20)) return;
  auto now = std::chrono::steady_clock::now();
  if (m_shown && done < total && now - m_last < std::chrono::milliseconds(100)) return;
  m_last = now;
  m_shown = true;
  auto percent = std::min<std::uint64_t>(100, done * 100 / total);
  m_ctx.err() << "\r\033[K" << core::trf("{}: {} % ({} of {})", m_label, percent, human_size(done), human_size(total))
              << std::flush;
}

void ProgressLine::finish() {
  if (m_shown) m_ctx.err() << "\r\033[K" << std::flush;
  m_shown = false;
}

std::uint64_t parse_size(const std::string& text, const std::string& option) {
  std::string t;
  for (char c : text)
    if (c != ' ') t.push_back(c);
  std::size_t i = 0;
  std::uint64_t n = 0;
  while (i < t.size() && t[i] >= '0' && t[i] <= '9' && n < (1ull << 50))
    n = n * 10 + static_cast<unsigned>(t[i++] - '0');
  auto unit = util::fold(t.substr(i));
  std::uint64_t mult = 0;
  if (unit.empty() || unit == "b" || unit == "б")
    mult = 1;
  else if (unit == "k" || unit == "kb" || unit == "kib" || unit == "к" || unit == "кб" || unit == "киб")
    mult = 1ull << 10;
  else if (unit == "m" || unit == "mb" || unit == "mib" || unit == "м" || unit == "мб" || unit == "миб")
    mult = 1ull << 20;
  else if (unit == "g" || unit == "gb" || unit == "gib" || unit == "г" || unit == "гб" || unit == "гиб")
    mult = 1ull << 30;
  if (i == 0 || mult == 0 || n == 0 || n >= (1ull << 50))
    throw core::Error(core::ErrorKind::usage,
                      core::trf("{}: «{}» is not a size; write it like 20M, 512K or 1G.", option, text));
  return n * mult;
}

std::string human_size(std::uint64_t bytes) {
  if (bytes < 1024) return core::trf("{} B", bytes);
  const char* units[] = {N_("{}.{} KiB"), N_("{}.{} MiB"), N_("{}.{} GiB"), N_("{}.{} TiB")};
  double v = static_cast<double>(bytes) / 1024;
  int u = 0;
  while (v >= 1024 && u < 3) v /= 1024, ++u;
  auto tenths = static_cast<std::uint64_t>(v * 10 + 0.5);
  return core::trf(units[u], tenths / 10, tenths % 10);
}

}  // namespace setevoe::cli
