// Checks and forms of field values that the kinds of records share.
#include "core/fields.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/error.hpp"
#include "core/i18n.hpp"
#include "core/replica.hpp"
#include "core/util/json.hpp"
#include "core/util/text.hpp"
#include "core/util/uuid.hpp"

namespace setevoe::core {

std::string checked_text(std::string_view text, std::string_view what, std::size_t max) {
  auto t = util::trim(text);
  if (!util::valid_utf8(t)) throw Error(ErrorKind::usage, trf("the {} is not valid UTF-8 text.", what));
  if (t.size() > max) throw Error(ErrorKind::usage, trf("the {} is longer than {} bytes; shorten it.", what, max));
  for (unsigned char c : t)
    if ((c < 0x20 && c != '\n' && c != '\t' && c != '\r') || c == 0x7F)
      throw Error(ErrorKind::usage, trf("the {} contains a control character.", what));
  return std::string(t);
}

std::string json_array(const std::vector<std::string>& items) {
  std::string out = "[";
  for (const auto& i : items) out += (out.size() > 1 ? "," : "") + util::json_quote(i);
  return out + "]";
}

std::string resolved_json_array(const std::vector<std::string>& refs,
                                const std::function<std::string(std::string_view)>& resolve) {
  std::vector<std::string> ids;
  for (const auto& r : refs) {
    auto id = resolve(r);
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
  }
  return json_array(ids);
}

std::string resolve_record(Db& db, std::string_view ref_in, const RecordKind& kind) {
  auto ref = std::string(util::trim(ref_in));
  if (ref.empty()) throw Error(ErrorKind::usage, kind.empty);
  auto prefix = util::canonical_id_prefix(ref);
  std::size_t digits = prefix ? std::count_if(prefix->begin(), prefix->end(), [](char c) { return c != '-'; }) : 0;
  std::vector<std::pair<std::string, std::string>> found;
  if (prefix && digits >= 4) {
    Stmt s(db, fmt::format("SELECT id, title FROM {} WHERE id >= ?1 AND id < ?1 || '~' AND deleted = 0 LIMIT 11",
                           kind.table));
    s.bind(1, *prefix);
    while (s.step()) found.push_back({s.column_text(0), s.column_text(1)});
  }
  if (found.empty()) {
    Stmt s(db, fmt::format("SELECT id, title FROM {} WHERE deleted = 0 AND title = ?1 COLLATE NOCASE", kind.table));
    s.bind(1, ref);
    while (s.step()) found.push_back({s.column_text(0), s.column_text(1)});
    if (found.empty() && util::valid_utf8(ref)) {
      // Case folding beyond ASCII: titles are compared folded.
      auto folded = util::fold(ref);
      Stmt all(db, fmt::format("SELECT id, title FROM {} WHERE deleted = 0 AND length(title) = length(?)", kind.table));
      all.bind(1, ref);
      while (all.step())
        if (util::fold(all.column_text(1)) == folded) found.push_back({all.column_text(0), all.column_text(1)});
    }
  }
  if (found.size() == 1) return found[0].first;
  if (found.size() > 1) {
    std::string list;
    for (std::size_t i = 0; i < found.size() && i < 10; ++i)
      list += fmt::format("\n  {}  {}", found[i].first, found[i].second);
    throw Error(ErrorKind::usage, fmt::format(fmt::runtime(kind.several), ref, found.size(), list));
  }
  if (prefix && digits >= 4) {
    // Another kind of record under that id: say so, rather than "not found".
    for (const auto* t : replicated_tables()) {
      if (std::string_view(t->name) == kind.table) continue;
      Stmt s(db, fmt::format("SELECT 1 FROM {} WHERE id >= ?1 AND id < ?1 || '~' AND deleted = 0 LIMIT 1", t->name));
      s.bind(1, *prefix);
      if (s.step()) throw Error(ErrorKind::not_found, fmt::format(fmt::runtime(kind.other), ref, tr(t->label)));
    }
  }
  if (prefix && digits < 4)
    throw Error(ErrorKind::usage, trf("«{}» is too short for an id: give at least 4 digits, or the exact title.", ref));
  throw Error(ErrorKind::not_found, fmt::format(fmt::runtime(kind.none), ref));
}

}  // namespace setevoe::core
