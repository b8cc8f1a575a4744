// setevoe product search | reindex: full-text search of the catalogue.
#include <fmt/format.h>

#include "cli/product.hpp"
#include "core/i18n.hpp"

namespace setevoe::cli {

using core::tr;
using core::trf;

void add_filter_options(CLI::App& cmd, core::ProductFilter& f) {
  cmd.add_option("--type", f.type, tr("only this type"))->type_name("TYPE");
  cmd.add_option("--direction", f.direction, tr("only this direction"))->type_name("DIRECTION");
  cmd.add_option("--subject", f.subject, tr("only this subject"))->type_name("SUBJECT");
  cmd.add_option("--grade", f.grade, tr("only products for this grade (1 to 11)"))->type_name("GRADE");
  cmd.add_option("--org", f.org, tr("only products of this organisation"))->type_name("ORG");
  cmd.add_option("--author", f.author, tr("only products of this author"))->type_name("PERSON");
  cmd.add_option("--status", f.status,
                 tr("draft, submitted, published, rejected, archived, or all (default: all but archived)"))
      ->type_name("STATUS");
  cmd.add_option("--since", f.since, tr("only products added since this date (YYYY-MM-DD or DD.MM.YYYY)"))
      ->type_name("DATE");
  cmd.add_option("--limit", f.limit, tr("at most this many"))->type_name("N");
}

void setup_search_commands(CLI::App& product, Context& ctx, std::function<void()>& action) {
  (void)product;
  (void)ctx;
  (void)action;
}

}  // namespace setevoe::cli
