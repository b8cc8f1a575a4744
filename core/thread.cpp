// Discussion threads of events and products.
#include "core/thread.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "core/event.hpp"
#include "core/fields.hpp"
#include "core/i18n.hpp"
#include "core/member.hpp"
#include "core/node.hpp"
#include "core/product.hpp"
#include "core/util/text.hpp"
#include "core/util/time.hpp"
#include "core/util/uuid.hpp"

namespace setevoe::core {

namespace {

constexpr const char* k_columns =
    "t.id, t.owner, t.entity, t.entity_id, t.section, t.reply_to, t.paper, coalesce(pr.title, ''), t.person, "
    "coalesce(p.name, ''), t.text, t.posted_at, t.edited_at, t.hidden, t.hide_reason, t.hidden_at";
constexpr const char* k_from =
    "FROM post t LEFT JOIN person p ON p.id = t.person LEFT JOIN product pr ON pr.id = t.paper AND pr.deleted = 0";

Post read_post(const Stmt& s) {
  Post p;
  p.id = s.column_text(0);
  p.owner = s.column_text(1);
  p.entity = s.column_text(2);
  p.entity_id = s.column_text(3);
  p.section = s.column_text(4);
  p.reply_to = s.column_optional(5);
  p.paper = s.column_optional(6);
  p.paper_title = s.column_text(7);
  p.person_id = s.column_text(8);
  p.person_name = s.column_text(9);
  p.text = s.column_text(10);
  p.posted_at = s.column_text(11);
  p.edited_at = s.column_optional(12);
  p.hidden = s.column_int(13) != 0;
  p.hide_reason = s.column_optional(14);
  p.hidden_at = s.column_optional(15);
  return p;
}

// The section as the event names it (any case), or a usage error.
std::string checked_section(const Event& e, const std::string& typed) {
  auto want = util::fold(util::trim(typed));
  for (const auto& s : e.sections)
    if (util::fold(s) == want) return s;
  if (e.sections.empty()) throw Error(ErrorKind::usage, trf("«{}» has no sections; post without --section.", e.title));
  std::string names;
  for (const auto& s : e.sections) names += (names.empty() ? "" : "; ") + s;
  throw Error(ErrorKind::usage, trf("«{}» has no section «{}». Its sections: {}.", e.title, typed, names));
}

}  // namespace

std::string add_post(Writer& w, const std::string& entity, const std::string& entity_id, const PostInput& in) {
  auto& db = w.db();
  std::string section;
  if (entity == "event") {
    auto e = get_event(db, entity_id);
    if (e.status == "cancelled")
      throw Error(ErrorKind::usage, trf("the event «{}» is cancelled; its thread takes no new messages.", e.title));
    if (in.section) section = checked_section(e, *in.section);
  } else if (entity == "product") {
    get_product(db, entity_id);
    if (in.section) throw Error(ErrorKind::usage, tr("a product's thread has no sections; post without --section."));
    if (in.paper) throw Error(ErrorKind::usage, tr("papers are presented at events; post the product to an event."));
  } else {
    throw Error(ErrorKind::internal, "a thread of an unknown kind of record: " + entity);
  }
  auto text = checked_text(in.text, tr("text"), 20000);
  std::optional<std::string> paper;
  if (in.paper) {
    paper = resolve_product(db, *in.paper);
    // The thread is every node's; a draft is only its owner's and the hub's.
    auto p = get_product(db, *paper);
    if (!p.published_at)
      throw Error(ErrorKind::usage, trf("«{}» is not published; a paper is a published product of the catalogue: "
                                        "submit it with 'setevoe product submit', and post it once the hub has "
                                        "published it.",
                                        p.title));
  }
  if (text.empty() && !paper)
    throw Error(ErrorKind::usage, tr("the message is empty; give it with --text (or present a paper with --paper)."));
  auto person = resolve_member(db, in.person, "person");
  Fields f = {{"entity", entity}, {"entity_id", entity_id}, {"person", person},
              {"text", text},     {"section", section},     {"posted_at", util::iso_utc(w.now_ms())}};
  if (in.reply_to) {
    auto parent = get_post(db, resolve_post(db, *in.reply_to));
    if (parent.entity_id != entity_id)
      throw Error(ErrorKind::usage, tr("the message replied to belongs to another thread."));
    if (in.section && parent.section != section)
      throw Error(ErrorKind::usage, trf("the message replied to is in the section «{}».", parent.section));
    f[4].second = parent.section;  // a reply stays in its message's section
    f.push_back({"reply_to", parent.id});
  }
  if (paper) f.push_back({"paper", *paper});
  return w.create(tables::post, f);
}

void edit_post(Writer& w, const std::string& id, std::string_view text_in) {
  auto post = get_post(w.db(), id);
  auto text = checked_text(text_in, tr("text"), 20000);
  if (text.empty() && !post.paper) throw Error(ErrorKind::usage, tr("the message is empty; give it with --text."));
  w.update(tables::post, id, {{"text", text}, {"edited_at", util::iso_utc(w.now_ms())}});
}

void hide_post(Writer& w, const std::string& id, bool hide, std::string_view reason_in) {
  if (w.self().role != Role::hub)
    throw Error(ErrorKind::not_permitted,
                tr("messages are hidden by the district hub (the moderator); this node is a school."));
  get_post(w.db(), id);
  if (!hide) {
    w.update(tables::post, id,
             {{"hidden", std::int64_t{0}}, {"hide_reason", std::monostate{}}, {"hidden_at", std::monostate{}}});
    return;
  }
  auto reason = checked_text(reason_in, tr("reason"), 2000);
  if (reason.empty())
    throw Error(ErrorKind::usage, tr("give the reason for hiding with --reason; the author reads it."));
  w.update(tables::post, id,
           {{"hidden", std::int64_t{1}}, {"hide_reason", reason}, {"hidden_at", util::iso_utc(w.now_ms())}});
}

std::string resolve_post(Db& db, std::string_view ref) {
  auto prefix = util::canonical_id_prefix(util::trim(ref));
  if (!prefix || prefix->size() < 4)
    throw Error(
        ErrorKind::usage,
        trf("«{}» is not a message's id: give 4 or more of its first hex digits, as the thread shows them.", ref));
  Stmt s(db, "SELECT id FROM post WHERE id LIKE ? || '%' AND deleted = 0 ORDER BY id LIMIT 2");
  s.bind(1, *prefix);
  std::vector<std::string> ids;
  while (s.step()) ids.push_back(s.column_text(0));
  if (ids.empty()) throw Error(ErrorKind::not_found, trf("no message {} here.", ref));
  if (ids.size() > 1) throw Error(ErrorKind::usage, trf("«{}» matches several messages; give more digits.", ref));
  return ids[0];
}

Post get_post(Db& db, const std::string& id) {
  Stmt s(db, fmt::format("SELECT {} {} WHERE t.id = ? AND t.deleted = 0", k_columns, k_from));
  s.bind(1, id);
  if (!s.step()) throw Error(ErrorKind::not_found, trf("no message {} here.", id));
  return read_post(s);
}

std::vector<Post> list_thread(Db& db, const std::string& entity_id, const std::optional<std::string>& section) {
  Stmt s(db, fmt::format("SELECT {} {} WHERE t.entity_id = ? AND t.deleted = 0 ORDER BY t.posted_at, t.id", k_columns,
                         k_from));
  s.bind(1, entity_id);
  std::vector<Post> all;
  while (s.step()) all.push_back(read_post(s));
  // Replies under the message they answer, in the order written; a reply
  // whose message has not arrived (or was removed) stands on its own.
  std::map<std::string, std::vector<std::size_t>> children;
  std::vector<std::size_t> roots;
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < all.size(); ++i) index[all[i].id] = i;
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (all[i].reply_to && index.count(*all[i].reply_to))
      children[*all[i].reply_to].push_back(i);
    else
      roots.push_back(i);
  }
  std::vector<Post> out;
  out.reserve(all.size());
  std::vector<std::pair<std::size_t, int>> stack;
  for (auto it = roots.rbegin(); it != roots.rend(); ++it) stack.emplace_back(*it, 0);
  while (!stack.empty()) {
    auto [i, depth] = stack.back();
    stack.pop_back();
    auto p = all[i];
    p.depth = depth;
    if (!section || util::fold(p.section) == util::fold(*section)) out.push_back(p);
    auto& kids = children[p.id];
    for (auto it = kids.rbegin(); it != kids.rend(); ++it) stack.emplace_back(*it, depth + 1);
  }
  return out;
}

}  // namespace setevoe::core
