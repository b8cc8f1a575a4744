// The configuration file (TOML) and where the database is. The config file is
// $SETEVOE_CONFIG, else $XDG_CONFIG_HOME/setevoe/config.toml (by default
// ~/.config/setevoe/config.toml); it is optional. Keys:
//   db = "/var/lib/setevoe/school.db"   # the database, when --db and SETEVOE_DB are not given
//   [consult]
//   answer_days = 5                     # working days the experts have for a first answer
//   holidays = ["2026-01-01", …]        # days off that fall on weekdays (the year's official calendar)
//   working_days = ["2026-…"]           # weekend days that are working days by a transfer
//   [report]
//   organisation = "Управление образования …"  # reports' heading (else the node's name)
//   language = "ru"                     # the language of reports: ru (the default) or en
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace setevoe::core {

// The working calendar of the «Консультация» service.
struct WorkCalendar {
  int answer_days = 5;                    // working days for a first answer
  std::vector<std::string> holidays;      // YYYY-MM-DD: weekdays off
  std::vector<std::string> working_days;  // YYYY-MM-DD: weekend days worked (transfers)
};

// How reports are headed and written.
struct ReportSettings {
  std::optional<std::string> organisation;  // the heading; else the node's name
  std::string language = "ru";              // reports are official documents: Russian unless asked
};

struct Config {
  std::string path;               // the file read, or where it would be
  bool found = false;             // the file exists and was read
  std::optional<std::string> db;  // key "db"
  WorkCalendar calendar;          // table [consult]
  ReportSettings report;          // table [report]
};

// Reads the config file. Error: bad_data with the file, line and reason when
// it is not valid TOML or a key has the wrong type or is unknown.
Config load_config();

// Where the database is: `flag` (--db), else SETEVOE_DB, else the config
// file's "db", else $XDG_DATA_HOME/setevoe/setevoe.db (~/.local/share/...).
// `source` receives which of them decided.
std::string resolve_db_path(const std::optional<std::string>& flag, std::string* source = nullptr);

}  // namespace setevoe::core
