// setevoe product: what the catalogue's commands share (records for output,
// filter options), and the search commands.
#pragma once

#include <functional>

#include "cli/app.hpp"
#include "cli/output.hpp"
#include "core/product.hpp"
#include "core/util/json.hpp"

namespace setevoe::cli {

// A product for scripts (JSON), with its files when asked.
util::Json product_json(Context& ctx, const core::Product& p, bool with_files);
// A product for people: labels, names, local times; `full` for show.
util::Json product_display(Context& ctx, const core::Product& p, std::size_t id_length, bool full);
// A flat record for CSV.
util::Json product_csv(const core::Product& p);
std::vector<Column> product_list_columns(Format f);

// --type, --direction, --subject, --grade, --org, --author, --status,
// --since, --limit.
void add_filter_options(CLI::App& cmd, core::ProductFilter& filter);

// search and reindex.
void setup_search_commands(CLI::App& product, Context& ctx, std::function<void()>& action);

}  // namespace setevoe::cli
