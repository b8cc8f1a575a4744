// The command line: global options, the command table, the context and the
// entry point that turns errors into exit codes.
#include "cli/app.hpp"

#include <fmt/format.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "core/config.hpp"
#include "core/i18n.hpp"
#include "core/util/text.hpp"

namespace setevoe::cli {

using core::tr;
using core::trf;
namespace util = setevoe::util;

const std::vector<Command>& commands() {
  static const std::vector<Command> table = {
      {"init", N_("create this node's database and keys"), setup_init},
      {"member", N_("the registry of the network's organisations and people"), setup_member},
      {"direction", N_("the priority directions of the network (regulation 2.3)"), setup_direction},
      {"status", N_("this node: name, role, key fingerprint, counts, unsent changes"), setup_status},
      {"db", N_("check the database or make a consistent backup of it"), setup_db},
      {"bundle", N_("exchange files with the hub and other schools: pack, merge, inspect"), setup_bundle},
      {"node", N_("the other nodes of the network: keys, enrolment, last exchange"), setup_node},
      {"product", N_("the catalogue of methodological products: add, moderate, review, search"), setup_product},
      {"event", N_("the plan of educational events: registrations, attendance, certificates, calendar"), setup_event},
      {"consult", N_("the «Консультация» service: questions to the experts, answers, the FAQ"), setup_consult},
      {"agreement", N_("agreements on joint activity and creative cooperation between members"), setup_agreement},
      {"report", N_("reports for the department: activity, plan, agreements, consultations, portfolios"), setup_report},
  };
  return table;
}

// ---- Context

Format Context::format(Format fallback) const {
  if (!format_flag) return fallback;
  if (*format_flag == "json") return Format::json;
  if (*format_flag == "csv") return Format::csv;
  if (*format_flag == "table") return Format::table;
  throw core::Error(core::ErrorKind::usage,
                    trf("--format {} is for 'setevoe report'; this command writes table, json or csv.", *format_flag));
}

std::string Context::db_path() const {
  return core::resolve_db_path(db_flag);
}

core::Db& Context::db() {
  if (m_db) return *m_db;
  std::string source;
  auto path = core::resolve_db_path(db_flag, &source);
  try {
    m_db = std::make_unique<core::Db>(core::Db::open(path, core::OpenMode::existing));
  } catch (const core::Error& e) {
    if (source == "--db") throw;
    // Say where the path came from: it was not typed on this command line.
    auto from = source == "SETEVOE_DB" ? tr("the SETEVOE_DB variable")
                : source == "config"   ? trf("the config file {}", core::load_config().path)
                                       : tr("the default location (no --db, SETEVOE_DB or config file)");
    throw core::Error(e.kind(), trf("{} (The database path {} is taken from: {}.)", e.what(), path, from));
  }
  return *m_db;
}

core::NodeInfo Context::self() {
  return core::self_node(db());
}

void Context::say(const std::string& line) {
  if (!quiet) m_out << line << '\n';
}

bool Context::confirm(const std::string& question) {
  if (yes) return true;
  if (!isatty(STDIN_FILENO))
    throw core::Error(core::ErrorKind::usage,
                      trf("{} To confirm without a terminal (cron, scripts), add --yes.", question));
  m_err << question << " [" << tr("y/N") << "] " << std::flush;
  std::string answer;
  if (!std::getline(std::cin, answer)) return false;
  auto a = util::fold(util::trim(answer));
  return a == "y" || a == "yes" || a == util::fold("д") || a == util::fold("да");
}

bool Context::stdout_is_terminal() const {
  return isatty(STDOUT_FILENO);
}

std::size_t Context::terminal_width() const {
  if (const char* c = std::getenv("COLUMNS"); c && *c) {
    long n = std::strtol(c, nullptr, 10);
    if (n > 20) return static_cast<std::size_t>(n);
  }
  if (!stdout_is_terminal()) return 0;
  winsize ws{};
  if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20) return ws.ws_col;
  return 80;
}

bool Context::colour() const {
  const char* no_colour = std::getenv("NO_COLOR");
  return stdout_is_terminal() && !(no_colour && *no_colour);
}

// ---- The command tree

namespace {
// CLI11 titles the help's sections with the group names "Options" and
// "Subcommands"; they are translated here, once the whole tree is built.
void localise_groups(CLI::App& app) {
  for (auto* o : app.get_options())
    if (o->get_group() == "Options") const_cast<CLI::Option*>(o)->group(tr("Options"));
  for (auto* sub : app.get_subcommands([](CLI::App*) { return true; })) {
    if (sub->get_group() == "Subcommands") sub->group(tr("Subcommands"));
    localise_groups(*sub);
  }
}
}  // namespace

std::unique_ptr<CLI::App> make_app(Context& ctx, std::function<void()>& action, std::string_view only) {
  auto app = std::make_unique<CLI::App>(
      tr("setevoe: the network of schools of a municipal district, kept offline in one SQLite file and "
         "exchanged as bundles."),
      "setevoe");
  // CLI11's own words, translated; subcommands share the formatter and copy
  // the help flag when they are added below.
  auto formatter = app->get_formatter();
  for (const char* label : {N_("Usage"), N_("Options"), N_("Subcommands"), N_("Positionals"), N_("REQUIRED"),
                            N_("OPTIONS"), N_("SUBCOMMAND"), N_("SUBCOMMANDS"), N_("Needs"), N_("Excludes")})
    formatter->label(label, tr(label));
  app->set_help_flag("-h,--help", tr("print this help and exit"));
  app->set_version_flag("--version", std::string("setevoe ") + SETEVOE_VERSION, tr("print the version and exit"));
  app->add_option("--db", ctx.db_flag, tr("the database file (else SETEVOE_DB, the config file, ~/.local/share)"))
      ->type_name("PATH");
  app->add_option("--format", ctx.format_flag,
                  tr("output: table for people, json or csv for scripts; reports also md, html, docx, odt, xlsx"))
      ->check(CLI::IsMember({"table", "json", "csv", "md", "html", "docx", "odt", "xlsx"}))
      ->type_name("FORMAT");
  app->add_flag("-q,--quiet", ctx.quiet, tr("print nothing but errors and requested data"));
  app->add_flag("-y,--yes", ctx.yes, tr("answer yes to confirmations (for cron and scripts)"));
  app->require_subcommand(1);
  app->fallthrough();
  app->footer(
      tr("Exit codes: 0 success, 64 usage, 65 bad data, 66 no such file or record, 70 internal error,\n"
         "73 cannot create, 74 input/output error, 75 database busy, 77 not permitted.\n"
         "See setevoe(1) and setevoe-COMMAND(1)."));
  for (const auto& c : commands()) {
    auto* sub = app->add_subcommand(c.name, tr(c.summary));
    if (only.empty() || only == c.name) c.setup(*sub, ctx, action);
  }
  localise_groups(*app);
  return app;
}

namespace {

// The word the user typed where a command was expected and that names none,
// with the closest command names; nothing when the command line is fine.
std::optional<std::string> unknown_command_hint(CLI::App& app, int argc, char** argv) {
  CLI::App* current = &app;
  for (int i = 1; i < argc; ++i) {
    std::string word = argv[i];
    if (word == "--") return std::nullopt;
    if (word.rfind("-", 0) == 0) {
      if (word.find('=') != std::string::npos) continue;
      for (CLI::App* a = current; a; a = a->get_parent())
        for (const auto* o : a->get_options())
          if (o->check_name(word) && o->get_items_expected_min() > 0) {
            ++i;
            goto next;
          }
      continue;
    }
    {
      auto subs = current->get_subcommands([](CLI::App*) { return true; });
      if (subs.empty()) return std::nullopt;
      CLI::App* found = nullptr;
      for (auto* s : subs)
        if (s->check_name(word)) found = s;
      if (found) {
        current = found;
        continue;
      }
      std::vector<std::string> close;
      for (auto* s : subs) {
        if (s->get_group().empty()) continue;  // hidden
        auto name = s->get_name();
        if (util::edit_distance(word, name) <= 2 || name.rfind(word, 0) == 0) close.push_back(name);
      }
      std::string parent = current == &app ? "setevoe" : "setevoe " + current->get_name();
      if (close.empty()) return trf("unknown command «{}». See '{} --help' for the commands.", word, parent);
      std::string list;
      for (const auto& c : close) list += (list.empty() ? "«" : ", «") + c + "»";
      return trf("unknown command «{}». Did you mean {}?", word, list);
    }
  next:;
  }
  return std::nullopt;
}

}  // namespace

namespace {

// The command named on the command line (the first word that is not a
// global option or its value) when it is one; else nothing, and the whole
// tree is built. Building only the named command's tree is most of the time
// of setting up a run.
std::string_view command_word(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string_view word = argv[i];
    if (word == "--db" || word == "--format") {
      ++i;
      continue;
    }
    if (word.rfind("-", 0) == 0) continue;
    for (const auto& c : commands())
      if (word == c.name) return word;
    return {};
  }
  return {};
}

}  // namespace

int run(int argc, char** argv, std::ostream& out, std::ostream& err) {
  core::init_messages();
  Context ctx(out, err);
  std::function<void()> action;
  std::unique_ptr<CLI::App> app;
  if (argc >= 2 && std::string_view(argv[1]) == "__complete") {
    // Completion reads what was typed so far, options included, as plain
    // words; it never prints an error into the user's shell.
    try {
      run_complete(ctx, std::vector<std::string>(argv + 2, argv + argc));
    } catch (const std::exception&) {
    }
    return 0;
  }
  try {
    app = make_app(ctx, action, command_word(argc, argv));
    if (auto hint = unknown_command_hint(*app, argc, argv)) {
      err << "setevoe: " << *hint << '\n';
      return 64;
    }
    app->parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app->exit(e, out, err);
    err << "setevoe: " << e.what() << '\n'
        << tr("Run 'setevoe --help' or 'setevoe COMMAND --help' for the usage.") << '\n';
    return 64;
  } catch (const core::Error& e) {
    err << "setevoe: " << e.what() << '\n';
    return core::exit_code(e.kind());
  }
  if (!action) {
    err << "setevoe: " << tr("no command given. See 'setevoe --help'.") << '\n';
    return 64;
  }
  try {
    action();
    out.flush();
    return 0;
  } catch (const core::Error& e) {
    out.flush();
    err << "setevoe: " << e.what() << '\n';
    return core::exit_code(e.kind());
  } catch (const std::exception& e) {
    out.flush();
    err << "setevoe: " << trf("internal error: {}. Please report it with the command you ran.", e.what()) << '\n';
    return 70;
  }
}

}  // namespace setevoe::cli
