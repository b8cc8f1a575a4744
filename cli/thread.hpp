// Discussion threads on the command line: post, thread, edit-post and
// hide-post, one implementation for events and products.
#pragma once

#include <functional>
#include <string>

#include "cli/app.hpp"

namespace setevoe::cli {

struct ThreadTarget {
  const char* entity;     // "event" | "product"
  const char* type_name;  // EVENT | PRODUCT
  std::function<std::string(Context&, const std::string&)> resolve;
  bool conference = false;  // sections and papers (events)
};

void setup_thread_commands(CLI::App& cmd, Context& ctx, std::function<void()>& action, const ThreadTarget& target);

}  // namespace setevoe::cli
