// setevoe report: the reports of regulation 6.1 for the department — the
// network's activity, the plan of events, the register of agreements, the
// «Консультация» figures, a teacher's portfolio, one member org — in the
// formats offices use (DOCX, ODT, XLSX), for the web (HTML), for people
// (table, Markdown) and for scripts (JSON, CSV). Written in Russian unless
// asked otherwise, whatever the locale of the cron job that runs them.
#include <filesystem>

#include "cli/app.hpp"
#include "cli/output.hpp"
#include "core/config.hpp"
#include "core/error.hpp"
#include "core/i18n.hpp"
#include "core/report/render.hpp"
#include "core/report/reports.hpp"
#include "core/util/text.hpp"
#include "core/util/time.hpp"

namespace setevoe::cli {

namespace {

using core::tr;
using core::trf;
namespace report = core::report;

struct ReportArgs {
  PeriodOptions period;
  std::string output = "-";
  std::optional<std::string> language, org, direction, status;
  std::string subject;  // the PERSON or ORG positional
};

// The format: --format, else the output file's extension, else a table.
report::Format choose_format(Context& ctx, const std::string& output) {
  if (ctx.format_flag) return *report::parse_format(*ctx.format_flag);
  if (output != "-") {
    // report.DOCX is a DOCX too, as Windows often names files.
    auto ext = util::ascii_lower(std::filesystem::path(output).extension().string());
    if (!ext.empty())
      if (auto f = report::parse_format(ext.substr(1)); f && *f != report::Format::table) return *f;
  }
  return report::Format::table;
}

struct Kind {
  const char* name;
  const char* summary;
  report::Document (*build)(core::Db&, const report::Request&);
  const char* subject;  // "PERSON", "ORG" or nothing
  bool period, scope, status;
};

void run_report(Context& ctx, const ReportArgs& a, const Kind& kind) {
  auto format = choose_format(ctx, a.output);
  if (report::is_binary(format) && a.output == "-" && ctx.stdout_is_terminal())
    throw core::Error(core::ErrorKind::usage,
                      trf("a {} file is not for the terminal: write it with -o FILE (for example -o report.{}).",
                          std::string(report::format_name(format)), std::string(report::format_name(format))));
  auto config = core::load_config();
  auto& db = ctx.db();
  const auto& self = ctx.self();
  report::Request r;
  r.time_zone = self.time_zone;
  r.now_ms = util::system_clock_ms();
  r.today = util::local_date(r.now_ms, r.time_zone);
  r.organisation = config.report.organisation.value_or(self.name);
  r.language = a.language.value_or(config.report.language);
  if (r.language != "ru" && r.language != "en")
    throw core::Error(core::ErrorKind::usage, trf("--lang «{}»: reports are written in ru or en.", r.language));
  if (kind.period) a.period.apply(r, r.today);
  r.org = a.org;
  r.direction = a.direction;
  r.status = a.status;
  std::string_view subject = kind.subject ? kind.subject : "";
  if (subject == "ORG") r.org = a.subject;
  if (subject == "PERSON") r.person = a.subject;
  std::string content;
  try {
    core::MessageLanguage language(r.language);
    // One snapshot: what an exchange writes meanwhile is in all of the
    // report or none of it.
    core::Transaction snapshot(db, core::Transaction::Kind::read);
    auto doc = kind.build(db, r);
    report::RenderOptions options;
    options.width = a.output == "-" ? ctx.terminal_width() : 0;
    content = report::render(doc, format, options);
  } catch (const core::Error&) {
    // Its message is in the report's language; the same request again, in
    // the terminal's, fails the same way and says why in words the user
    // reads, as every other message of setevoe.
    if (r.language != core::message_language()) kind.build(db, r);
    throw;
  }
  write_output(ctx, a.output, content);
  if (a.output != "-") ctx.say(trf("Written: {}", a.output));
}

}  // namespace

void setup_report(CLI::App& app, Context& ctx, std::function<void()>& action) {
  app.require_subcommand(1);
  static const Kind kinds[] = {
      {"activity", N_("the network's activity in a period, beside the period before, with what was published and held"),
       report::activity, nullptr, true, true, false},
      {"plan", N_("the plan of educational events for a period, as a document"), report::plan, nullptr, true, true,
       false},
      {"agreements", N_("the register of agreements on joint activity, with the parties' obligations"),
       report::agreements, nullptr, false, false, true},
      {"consultations", N_("the «Консультация» service's figures: questions, answers, overdue, experts"),
       report::consultations, nullptr, true, true, false},
      {"portfolio", N_("what a teacher authored, reviewed, took part in and answered"), report::portfolio, "PERSON",
       true, false, false},
      {"org", N_("one member of the network: its people and its activity"), report::org, "ORG", true, false, false},
  };
  for (const auto& k : kinds) {
    auto args = std::make_shared<ReportArgs>();
    auto* sub = app.add_subcommand(k.name, tr(k.summary));
    if (k.subject)
      sub->add_option(k.subject, args->subject,
                      std::string_view(k.subject) == "PERSON" ? tr("the teacher: id prefix (4+ digits) or exact name")
                                                              : tr("the org: id prefix (4+ digits) or exact name"))
          ->required()
          ->type_name(k.subject);
    if (k.period) args->period.add_to(*sub, true);
    if (k.scope) {
      sub->add_option("--org", args->org, tr("only this organisation"))->type_name("ORG");
      sub->add_option("--direction", args->direction, tr("only this direction"))->type_name("DIRECTION");
    }
    if (k.status) {
      sub->add_option("--status", args->status, tr("only agreements in this status"))->type_name("AGREEMENT_STATUS");
      sub->add_option("--org", args->org, tr("only agreements this organisation is a party to"))->type_name("ORG");
    }
    sub->add_option("-o,--output", args->output,
                    tr("write to this file (default: standard output); its extension chooses the format when "
                       "--format is not given"))
        ->type_name("FILE");
    sub->add_option("--lang", args->language, tr("the language of the report: ru (the default) or en"))
        ->type_name("LANGUAGE");
    const Kind* kind = &k;
    sub->callback([&ctx, &action, args, kind] { action = [&ctx, args, kind] { run_report(ctx, *args, *kind); }; });
  }
}

}  // namespace setevoe::cli
