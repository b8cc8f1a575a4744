// Attached files on the command line: the attach, files, get and detach
// subcommands, one implementation for every command whose records carry
// files (member and product now; event and agreement later).
#pragma once

#include <functional>
#include <string>

#include "cli/app.hpp"
#include "core/i18n.hpp"
#include "core/replica.hpp"
#include "core/util/json.hpp"

namespace setevoe::cli {

struct FileTarget {
  const char* type_name;                                             // MEMBER, PRODUCT, ...
  std::function<std::string(Context&, const std::string&)> resolve;  // what the user typed -> id
  const char* help = N_("id prefix (4+ digits) or exact name");      // how to name a record (msgid)
};

// Adds attach, files, get and detach to `cmd`.
void setup_file_commands(CLI::App& cmd, Context& ctx, std::function<void()>& action, const FileTarget& target);

// The files of a record for `show`: a JSON array (name, size, sha256, ...),
// and one line for people ("photo.jpg (1,2 МиБ); …").
util::Json files_json(Context& ctx, const std::string& id);
std::string files_line(Context& ctx, const std::string& id);

}  // namespace setevoe::cli
