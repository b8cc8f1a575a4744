// setevoe product search | reindex: full-text search of the catalogue.
#include <fmt/format.h>

#include "cli/product.hpp"
#include "core/i18n.hpp"
#include "core/search/index.hpp"

namespace setevoe::cli {

using core::tr;
using core::trf;
using util::Json;

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
  cmd.add_option("--limit", f.limit, tr("at most this many (search: 20 by default)"))->type_name("N");
}

void setup_search_commands(CLI::App& product, Context& ctx, std::function<void()>& action) {
  struct Args {
    std::string text;
    core::ProductFilter filter;
    bool advanced = false, sql = false;
  };
  auto args = std::make_shared<Args>();
  auto* search = product.add_subcommand(
      "search", tr("find products by words, in any word form: title, keywords, annotation, authors, file text"));
  search->add_option("QUERY", args->text, tr("words to find; «7 класс» means grade 7"))->required()->type_name("TEXT");
  add_filter_options(*search, args->filter);
  args->filter.limit = 20;
  search->add_flag("--advanced", args->advanced,
                   tr("the query is FTS5 syntax: AND, OR, NOT, NEAR(), \"phrases\", prefix*, column:word"));
  search->add_flag("--sql", args->sql,
                   tr("print the SQL statement of the search, for the sqlite3 shell with setevoe_fts loaded"));
  search->callback([&ctx, &action, args] {
    action = [&ctx, args] {
      auto& db = ctx.db();
      auto f = ctx.format();
      core::search::SearchOptions o;
      o.limit = args->filter.limit ? args->filter.limit : 20;
      o.advanced = args->advanced;
      bool people = f == Format::table;
      if (people && ctx.colour() && !args->sql) {
        o.open = "\x1b[1m";
        o.close = "\x1b[0m";
      }
      if (args->sql) {
        ctx.out() << core::search::search_sql(db, args->text, args->filter, o) << '\n';
        return;
      }
      auto hits = core::search::search(db, args->text, args->filter, o);
      std::vector<std::string> ids;
      for (const auto& h : hits) ids.push_back(h.product_id);
      auto products = core::get_products(db, ids);
      if (people) {
        if (hits.empty()) {
          ctx.say(
              tr("Nothing found. Try fewer words, or other forms of them; 'setevoe product list' shows the "
                 "whole catalogue."));
          return;
        }
        auto len = core::short_id_length(db);
        bool some = false;
        for (std::size_t i = 0; i < products.size(); ++i) {
          const auto& p = products[i];
          if (!hits[i].all_words && !some) {
            ctx.out() << tr("With some of the words:") << '\n';
            some = true;
          }
          auto org = p.org_name.empty() ? std::string() : ", " + p.org_name;
          ctx.out() << fmt::format("{}. «{}» — {}{} [{}, {}]\n", i + 1, p.title,
                                   core::term_label(core::product_types(), p.type), org, p.id.substr(0, len),
                                   core::term_label(core::product_statuses(), p.status));
          if (!hits[i].snippet.empty()) {
            auto snip = hits[i].snippet;
            for (auto& c : snip)
              if (c == '\n' || c == '\t') c = ' ';
            ctx.out() << "   " << snip << '\n';
          }
        }
        return;
      }
      std::vector<Json> records;
      for (std::size_t i = 0; i < products.size(); ++i) {
        auto j = f == Format::csv ? Json::object().set("id", products[i].id).set("title", products[i].title)
                                  : product_json(ctx, products[i], true);
        j.set("score", fmt::format("{:.6g}", hits[i].score)).set("all_words", hits[i].all_words);
        j.set("snippet", hits[i].snippet);
        records.push_back(std::move(j));
      }
      print_list(ctx, records, key_columns({"id", "title", "score", "all_words", "snippet"}), f);
    };
  });

  auto* reindex = product.add_subcommand(
      "reindex", tr("build the search index again from the catalogue, reading every attached document again"));
  reindex->callback([&ctx, &action] {
    action = [&ctx] {
      auto stats = core::search::reindex(ctx.db());
      if (ctx.format() == Format::json) {
        ctx.out() << Json::object().set("products", stats.products).set("files", stats.files).dump() << '\n';
        return;
      }
      ctx.say(trf("The search index is rebuilt: products {}, documents read {}.", stats.products, stats.files));
    };
  });
}

}  // namespace setevoe::cli
