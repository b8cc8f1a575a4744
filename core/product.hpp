// The catalogue of methodological products (regulation 1.5): recommendations,
// projects, lesson videos, КИМ, assessment sheets and the rest; their
// moderation by the hub (draft → submitted → published | rejected →
// archived), their reviews (1.3), and the schools' subscriptions to parts of
// the catalogue's files. Every change goes through the replicated write path.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/db.hpp"
#include "core/member.hpp"
#include "core/replica.hpp"

namespace setevoe::core {

// ---- Vocabularies (codes stored and typed; Russian labels shown).
const std::vector<Term>& product_types();
const std::vector<Term>& product_statuses();  // draft | submitted | published | rejected | archived
const std::vector<Term>& education_levels();  // do | noo | ooo | soo | dop
const std::vector<Term>& licences();          // CC-BY-4.0, ..., all-rights-reserved, network-only
const std::vector<Term>& author_roles();      // author | co-author
const std::vector<Term>& languages();         // ru | ce | en | ... (other ISO 639-1 codes are accepted too)

// "5-7", "5–7", "5", "5-7 класс" → {5, 7}. Grades are 1..11. Usage error
// otherwise, saying what is wrong.
std::pair<int, int> parse_grades(std::string_view text);
// "5–7", "9", or "" for none.
std::string grades_text(std::optional<int> from, std::optional<int> to);

// ---- Records as read back.

struct ProductAuthor {
  std::string person_id;
  std::string name;  // empty when the card is not yet received
  std::string role;  // author | co-author
};

struct Rating {
  double mean = 0;
  std::int64_t count = 0;
};

struct Product {
  std::string id, owner, type, title, annotation;
  std::vector<ProductAuthor> authors;
  std::string org_id, org_name;  // org_name empty when not yet received
  std::vector<Direction> directions;
  std::string subject;
  std::vector<std::string> levels;
  std::optional<int> grade_from, grade_to;
  std::string language, keywords, licence;
  bool pupils = false;
  std::string consent;
  std::string status;
  std::optional<std::string> submitted_at, moderator_id, moderated_at, reason, published_at;
  std::string moderator_name;
  std::string created_at, updated_at;
  Rating rating;
};

struct Review {
  std::string id, owner, product_id, person_id, person_name;
  int score = 0;
  std::vector<std::pair<std::string, int>> criteria;
  std::string comment, reviewed_at;
};

// ---- Input. Options left unset keep their defaults (add) or the stored
// value (edit).

struct ProductFields {
  std::optional<std::string> type, title, annotation, subject, grades, language, keywords, licence, consent, org;
  std::optional<bool> pupils;
  // Authors as typed (id prefix or exact name) with their roles; directions
  // and levels as typed. Set (even empty) replaces the whole list.
  std::optional<std::vector<std::pair<std::string, std::string>>> authors;
  std::optional<std::vector<std::string>> directions, levels;
  bool empty() const {
    return !type && !title && !annotation && !subject && !grades && !language && !keywords && !licence && !consent &&
           !org && !pupils && !authors && !directions && !levels;
  }
};

struct ProductFilter {
  std::optional<std::string> type, direction, subject, org, author, status, since;
  std::optional<int> grade;
  std::size_t limit = 0;  // 0: all
};

// ---- Operations.

// A new product, a draft owned by this node. The org defaults to the first
// author's. Errors: usage (unknown type, licence, level; grades; no title; no
// author and no org), not_found (unknown person, org, direction).
std::string add_product(Writer& w, const ProductFields& in);
// Changes fields; false when nothing changed. The owner or a hub.
bool edit_product(Writer& w, const std::string& id, const ProductFields& patch);
void remove_product(Writer& w, const std::string& id);

// Moderation. submit: the owner (or a hub), from draft or rejected.
// publish, reject (a reason is required) and archive: a hub only; a school
// gets not_permitted. `moderator` optionally names the person who decided.
void submit_product(Writer& w, const std::string& id);
void publish_product(Writer& w, const std::string& id, const std::optional<std::string>& moderator);
void reject_product(Writer& w, const std::string& id, std::string_view reason,
                    const std::optional<std::string>& moderator);
void archive_product(Writer& w, const std::string& id, const std::optional<std::string>& moderator);

struct ReviewInput {
  std::string person;  // as typed
  int score = 0;
  std::vector<std::pair<std::string, int>> criteria;
  std::string comment;
};
// Reviews a published product; a second review by the same person replaces
// the first. Returns true when it replaced one.
bool review_product(Writer& w, const std::string& product_id, const ReviewInput& in);
// "NAME=SCORE" → {NAME, SCORE}; usage error otherwise.
std::pair<std::string, int> parse_criterion(std::string_view text);

// A product by a unique id prefix (4+ hex digits) or its exact title (any
// case). Errors: not_found, naming another kind of record when the id is one;
// usage (ambiguous).
std::string resolve_product(Db& db, std::string_view ref);
Product get_product(Db& db, const std::string& id);
// Newest first. The default status filter leaves archived products out;
// status "all" keeps them.
std::vector<Product> list_products(Db& db, const ProductFilter& filter);
std::vector<Review> list_reviews(Db& db, const std::string& product_id);
// Fills authors' and org's names, directions and ratings of products read
// by id (search results).
std::vector<Product> get_products(Db& db, const std::vector<std::string>& ids);

// The SQL condition (on product p) of a filter, and its parameters, for
// list and search; resolves the references in it. Errors as resolve_*.
// For search, p is the search index's search_filter (the same columns but
// the authors, who are looked up in search_person).
struct FilterSql {
  std::string where;  // "p.deleted = 0 AND ..."
  std::vector<Value> params;
};
enum class FilterOn { product, search_index };
FilterSql filter_sql(Db& db, const ProductFilter& filter, FilterOn on = FilterOn::product);

// ---- Subscriptions (DESIGN.md, "Scope"): a school chooses the directions
// and orgs whose products' files it receives; without any it receives all.
struct Subscription {
  std::string kind;  // direction | org
  std::string ref;   // the direction's or org's id
  std::string name;  // its name, or empty when not yet received
};
// Adds (or, with remove, takes away) subscriptions of this node; returns how
// many changed. `directions` and `orgs` as typed.
int subscribe(Writer& w, const std::vector<std::string>& directions, const std::vector<std::string>& orgs, bool remove);
std::vector<Subscription> list_subscriptions(Db& db, const std::string& node);
// True when `node` wants the files of the product: it has no subscriptions,
// owns the product, or subscribed to one of its directions or its org.
bool wants_product_files(Db& db, const std::string& node, const std::string& product_id);

// Ids and titles of the newest products whose id begins with `prefix` (for
// completion).
std::vector<std::pair<std::string, std::string>> product_ids_by_prefix(Db& db, const std::string& prefix,
                                                                       std::size_t limit);

// Subjects already used in the catalogue (for completion), sorted.
std::vector<std::string> product_subjects(Db& db);

}  // namespace setevoe::core
