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
std::string cell(const util::Json& record, const std::string& key) {
  const auto* v = record.find(key);
  if (!v) return {};
  auto t = v->text();
  std::replace(t.begin(), t.end(), '\n', ' ');
  return t;
}

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
  std::vector<std::vector<std::string>> rows;
  std::vector<std::size_t> widths(columns.size());
  for (std::size_t c = 0; c < columns.size(); ++c) widths[c] = util::display_width(columns[c].header);
  for (const auto& r : records) {
    auto& row = rows.emplace_back();
    for (std::size_t c = 0; c < columns.size(); ++c) {
      row.push_back(cell(r, columns[c].key));
      widths[c] = std::max(widths[c], util::display_width(row.back()));
    }
  }
  // Fit the terminal: narrow the widest column until the table fits.
  if (auto limit = ctx.terminal_width(); limit > 0) {
    auto total = [&] {
      std::size_t t = 0;
      for (auto w : widths) t += w + 2;
      return t;
    };
    while (total() > limit) {
      auto widest = std::max_element(widths.begin(), widths.end());
      if (*widest <= 8) break;
      --*widest;
    }
  }
  bool bold = ctx.colour();
  auto print_row = [&](const std::vector<std::string>& values, bool header) {
    std::string line;
    for (std::size_t c = 0; c < values.size(); ++c) {
      auto text = util::fit_width(values[c], widths[c]);
      line += text;
      if (c + 1 < values.size()) line.append(widths[c] - util::display_width(text) + 2, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    ctx.out() << (header && bold ? "\033[1m" + line + "\033[0m" : line) << '\n';
  };
  std::vector<std::string> header;
  for (const auto& c : columns) header.push_back(c.header);
  print_row(header, true);
  for (const auto& r : rows) print_row(r, false);
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

void write_output(Context& ctx, const std::string& path, const std::string& content) {
  if (path == "-") {
    ctx.out() << content;
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
  auto tmp = path + ".part-" + std::to_string(::getpid());
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f)
      throw core::Error(core::ErrorKind::cannot_create, core::trf("cannot write {}: {}.", path, std::strerror(errno)));
    f << content;
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

}  // namespace setevoe::cli
