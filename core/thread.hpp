// Discussion threads (regulation 5.1, «Интернет-конференция»): messages on
// an event or a product, in reply to one another; at an internet
// conference, in its sections, presenting papers (products). A message is
// its node's: the author edits it there. A hub may hide one, with a reason.
// Messages written on different nodes at the same time all appear, in the
// order they were written, on every node.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/db.hpp"
#include "core/replica.hpp"

namespace setevoe::core {

struct Post {
  std::string id, owner, entity, entity_id, section;
  std::optional<std::string> reply_to, paper;
  std::string paper_title;  // empty when not received
  std::string person_id, person_name, text, posted_at;
  std::optional<std::string> edited_at;
  bool hidden = false;
  std::optional<std::string> hide_reason, hidden_at;
  int depth = 0;  // 0: a message of the thread; 1: a reply to one; ...
};

struct PostInput {
  std::string person, text;
  std::optional<std::string> section, reply_to, paper;
};

// A message on an event or a product (`entity`: "event" or "product", the
// id resolved). Errors: usage (no text and no paper; a section the event
// does not have, or any section elsewhere; a paper on a product; a reply to
// a message of another thread; a cancelled event; a paper not published),
// not_found (the person,
// the paper, the message replied to).
std::string add_post(Writer& w, const std::string& entity, const std::string& entity_id, const PostInput& in);
// The author's node changes the text. Errors: not_permitted (another
// node's message), usage (empty).
void edit_post(Writer& w, const std::string& id, std::string_view text);
// A hub hides a message from the thread, with a reason (or shows it again,
// `hide` false). Errors: not_permitted (a school), usage (no reason).
void hide_post(Writer& w, const std::string& id, bool hide, std::string_view reason);

// A message by a unique id prefix (4+ hex digits). Errors: usage, not_found.
std::string resolve_post(Db& db, std::string_view ref);
Post get_post(Db& db, const std::string& id);
// The thread of a record: messages in the order written, each followed by
// its replies (depth first); a section's only when given.
std::vector<Post> list_thread(Db& db, const std::string& entity_id, const std::optional<std::string>& section = {});

}  // namespace setevoe::core
