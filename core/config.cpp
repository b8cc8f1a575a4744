// The configuration file and the database's location.
#include "core/config.hpp"

#include "core/util/text.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "core/error.hpp"
#include "core/i18n.hpp"
#include "core/util/time.hpp"

namespace setevoe::core {
namespace fs = std::filesystem;

namespace {
std::string home_dir() {
  const char* home = std::getenv("HOME");
  return home && *home ? home : "/";
}

std::string xdg_dir(const char* variable, const char* fallback) {
  const char* v = std::getenv(variable);
  if (v && *v && fs::path(v).is_absolute()) return v;
  return (fs::path(home_dir()) / fallback).string();
}
// The dates of a [consult] list, each checked.
std::vector<std::string> read_dates(const Config& c, const toml::node& value, std::string_view key) {
  const auto* list = value.as_array();
  if (!list)
    throw Error(ErrorKind::bad_data,
                trf("{}: [consult] {} must be a list of dates: [\"2026-01-01\", \"2026-01-02\"].", c.path, key));
  std::vector<std::string> out;
  for (const auto& item : *list) {
    auto text = item.value<std::string>();
    auto date = text ? util::parse_date(*text) : std::nullopt;
    if (!date)
      throw Error(ErrorKind::bad_data,
                  trf("{}: [consult] {}: «{}» is not a date; write \"YYYY-MM-DD\".", c.path, key, text.value_or("?")));
    out.push_back(*date);
  }
  std::sort(out.begin(), out.end());
  return out;
}

void read_calendar(Config& c, const toml::node& node) {
  const auto* t = node.as_table();
  if (!t) throw Error(ErrorKind::bad_data, trf("{}: «consult» must be a table: [consult].", c.path));
  for (const auto& [key, value] : *t) {
    if (key.str() == "answer_days") {
      auto n = value.value<std::int64_t>();
      if (!n || *n < 1 || *n > 60)
        throw Error(ErrorKind::bad_data,
                    trf("{}: [consult] answer_days must be a number of working days, 1 to 60.", c.path));
      c.calendar.answer_days = static_cast<int>(*n);
    } else if (key.str() == "holidays") {
      c.calendar.holidays = read_dates(c, value, "holidays");
    } else if (key.str() == "working_days") {
      c.calendar.working_days = read_dates(c, value, "working_days");
    } else {
      throw Error(ErrorKind::bad_data,
                  trf("{}: unknown key «{}» in [consult]. Known keys: answer_days, holidays, working_days.", c.path,
                      key.str()));
    }
  }
}

void read_report(Config& c, const toml::node& node) {
  const auto* t = node.as_table();
  if (!t) throw Error(ErrorKind::bad_data, trf("{}: «report» must be a table: [report].", c.path));
  for (const auto& [key, value] : *t) {
    auto text = value.value<std::string>();
    if (key.str() == "organisation") {
      if (!text || util::trim(*text).empty())
        throw Error(ErrorKind::bad_data,
                    trf("{}: [report] organisation must be the name reports are headed with, in quotes.", c.path));
      c.report.organisation = std::string(util::trim(*text));
    } else if (key.str() == "language") {
      if (!text || (*text != "ru" && *text != "en"))
        throw Error(ErrorKind::bad_data, trf("{}: [report] language must be \"ru\" or \"en\".", c.path));
      c.report.language = *text;
    } else {
      throw Error(ErrorKind::bad_data,
                  trf("{}: unknown key «{}» in [report]. Known keys: organisation, language.", c.path, key.str()));
    }
  }
}

}  // namespace

Config load_config() {
  Config c;
  const char* explicit_path = std::getenv("SETEVOE_CONFIG");
  c.path = explicit_path && *explicit_path
               ? explicit_path
               : (fs::path(xdg_dir("XDG_CONFIG_HOME", ".config")) / "setevoe" / "config.toml").string();
  std::error_code ec;
  if (!fs::exists(c.path, ec)) {
    if (explicit_path && *explicit_path)
      throw Error(ErrorKind::not_found, trf("the config file {} given by SETEVOE_CONFIG does not exist.", c.path));
    return c;
  }
  c.found = true;
  toml::table t;
  try {
    t = toml::parse_file(c.path);
  } catch (const toml::parse_error& e) {
    throw Error(ErrorKind::bad_data,
                trf("{}, line {}: {}. Fix the config file.", c.path, e.source().begin.line, e.description()));
  }
  for (const auto& [key, value] : t) {
    if (key.str() == "db") {
      auto s = value.value<std::string>();
      if (!s || s->empty())
        throw Error(ErrorKind::bad_data, trf("{}: «db» must be the path of the database, in quotes.", c.path));
      c.db = *s;
    } else if (key.str() == "consult") {
      read_calendar(c, value);
    } else if (key.str() == "report") {
      read_report(c, value);
    } else {
      throw Error(ErrorKind::bad_data,
                  trf("{}: unknown key «{}». Known keys: db, [consult], [report].", c.path, key.str()));
    }
  }
  return c;
}

std::string resolve_db_path(const std::optional<std::string>& flag, std::string* source) {
  auto set = [&](const char* s) {
    if (source) *source = s;
  };
  if (flag) {
    if (flag->empty()) throw Error(ErrorKind::usage, tr("--db needs the path of a database file."));
    set("--db");
    return *flag;
  }
  if (const char* env = std::getenv("SETEVOE_DB"); env && *env) {
    set("SETEVOE_DB");
    return env;
  }
  auto config = load_config();
  if (config.db) {
    set("config");
    return *config.db;
  }
  set("default");
  return (fs::path(xdg_dir("XDG_DATA_HOME", ".local/share")) / "setevoe" / "setevoe.db").string();
}

}  // namespace setevoe::core
