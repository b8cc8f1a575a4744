// The command line: global options, the command table, the context commands
// run in, and the entry point. Only cli/ reads the terminal or prints.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/db.hpp"
#include "core/node.hpp"

namespace setevoe::cli {

enum class Format { table, json, csv };

// What every command runs with: the global options, the database (opened on
// first use, so --help and --version never touch it) and the output streams.
class Context {
 public:
  Context(std::ostream& out, std::ostream& err) : m_out(out), m_err(err) {}

  // Global options, as parsed.
  std::optional<std::string> db_flag;
  std::optional<std::string> format_flag;
  bool quiet = false;
  bool yes = false;

  // The output format: --format, else `fallback`.
  Format format(Format fallback = Format::table) const;
  // The database path (--db, SETEVOE_DB, config, XDG default).
  std::string db_path() const;
  // The database, opened once. Errors as core::Db::open with OpenMode::existing.
  core::Db& db();
  core::NodeInfo self();

  std::ostream& out() { return m_out; }
  std::ostream& err() { return m_err; }
  // A message for people on stdout, unless --quiet.
  void say(const std::string& line);
  // Asks a yes/no question on the terminal; true with --yes. Off a terminal
  // without --yes it is a usage error that says to add --yes.
  bool confirm(const std::string& question);

  // True when stdout is a terminal; its width in columns (0: unlimited).
  bool stdout_is_terminal() const;
  std::size_t terminal_width() const;
  bool colour() const;

 private:
  std::ostream& m_out;
  std::ostream& m_err;
  std::unique_ptr<core::Db> m_db;
};

// One entry of the command table: a top-level command.
struct Command {
  const char* name;
  const char* summary;  // msgid, one line
  // Adds the options and subcommands of the command to `cmd`, which
  // make_app created with the name and summary of this entry; each leaf
  // sets `action` in its callback.
  void (*setup)(CLI::App& cmd, Context& ctx, std::function<void()>& action);
};
const std::vector<Command>& commands();

// The setup functions, one per file of cli/.
void setup_init(CLI::App&, Context&, std::function<void()>&);
void setup_member(CLI::App&, Context&, std::function<void()>&);
void setup_direction(CLI::App&, Context&, std::function<void()>&);
void setup_status(CLI::App&, Context&, std::function<void()>&);
void setup_db(CLI::App&, Context&, std::function<void()>&);
void setup_bundle(CLI::App&, Context&, std::function<void()>&);
void setup_node(CLI::App&, Context&, std::function<void()>&);
void setup_product(CLI::App&, Context&, std::function<void()>&);
void setup_event(CLI::App&, Context&, std::function<void()>&);
void setup_consult(CLI::App&, Context&, std::function<void()>&);
void setup_agreement(CLI::App&, Context&, std::function<void()>&);
void setup_report(CLI::App&, Context&, std::function<void()>&);
// The hidden command "__complete" (cli/commands.cpp): candidates for shell
// completion, or with "--commands" every command path. Never fails loudly.
void run_complete(Context& ctx, std::vector<std::string> args);

// Builds the command tree (used by run and by completion). With `only` naming a command, only that command's tree is
// built; the others are there by name and summary (a run builds what it parses).
std::unique_ptr<CLI::App> make_app(Context& ctx, std::function<void()>& action, std::string_view only = {});

// Runs setevoe with the given arguments; returns the exit code.
int run(int argc, char** argv, std::ostream& out, std::ostream& err);

}  // namespace setevoe::cli
