// The catalogue of methodological products, their moderation and reviews.
#include "core/product.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <set>
#include <tuple>

#include "core/fields.hpp"
#include "core/hlc.hpp"
#include "core/i18n.hpp"
#include "core/node.hpp"
#include "core/util/json.hpp"
#include "core/util/text.hpp"
#include "core/util/time.hpp"
#include "core/util/uuid.hpp"

namespace setevoe::core {

// ---- Vocabularies

const std::vector<Term>& product_types() {
  static const std::vector<Term> v = {
      {"recommendations", N_("methodological recommendations"), "методические рекомендации",
       "рекомендации|методрекомендации"},
      {"project", N_("project"), "проект"},
      {"lesson-video", N_("lesson video"), "видеозапись урока", "видеоурок|видео урока"},
      {"extracurricular-video", N_("extracurricular session video"), "видеозапись внеурочного занятия",
       "видео внеурочного занятия|внеурочное занятие"},
      {"kim", N_("control and measurement materials (KIM)"), "КИМ", "контрольно-измерительные материалы"},
      {"assessment-sheet", N_("assessment sheet"), "лист оценивания",
       "лист оценивания образовательных достижений|оценочный лист"},
      {"lesson-plan", N_("lesson plan / technological map"), "технологическая карта",
       "план урока|конспект урока|технологическая карта урока"},
      {"work-programme", N_("work programme"), "рабочая программа", "программа"},
      {"presentation", N_("presentation"), "презентация"},
      {"best-practice", N_("best-practice description"), "передовой педагогический опыт",
       "описание передового педагогического опыта|ппо|опыт"},
      {"regulatory", N_("regulatory document"), "нормативный документ", "положение|приказ"},
      {"other", N_("other"), "другое", "прочее"},
  };
  return v;
}

const std::vector<Term>& product_statuses() {
  static const std::vector<Term> v = {
      {"draft", N_("draft"), "черновик"},
      {"submitted", N_("submitted"), "на модерации", "подан|подано|отправлен"},
      {"published", N_("published"), "опубликован", "опубликовано|опубликована"},
      {"rejected", N_("rejected"), "отклонён", "отклонен|отклонено|отклонена"},
      {"archived", N_("archived"), "в архиве", "архив"},
  };
  return v;
}

const std::vector<Term>& education_levels() {
  static const std::vector<Term> v = {
      {"do", N_("preschool (DO)"), "ДО", "дошкольное образование|дошкольное"},
      {"noo", N_("primary (NOO)"), "НОО", "начальное общее образование|начальное"},
      {"ooo", N_("basic general (OOO)"), "ООО", "основное общее образование|основное"},
      {"soo", N_("secondary general (SOO)"), "СОО", "среднее общее образование|среднее"},
      {"dop", N_("additional education (DOP)"), "ДОП", "дополнительное образование|дополнительное"},
  };
  return v;
}

const std::vector<Term>& licences() {
  static const std::vector<Term> v = {
      {"CC-BY-4.0", N_("CC BY 4.0"), "CC BY 4.0", "cc by|cc-by"},
      {"CC-BY-SA-4.0", N_("CC BY-SA 4.0"), "CC BY-SA 4.0", "cc by-sa|cc-by-sa"},
      {"CC-BY-ND-4.0", N_("CC BY-ND 4.0"), "CC BY-ND 4.0", "cc by-nd|cc-by-nd"},
      {"CC-BY-NC-4.0", N_("CC BY-NC 4.0"), "CC BY-NC 4.0", "cc by-nc|cc-by-nc"},
      {"CC-BY-NC-SA-4.0", N_("CC BY-NC-SA 4.0"), "CC BY-NC-SA 4.0", "cc by-nc-sa|cc-by-nc-sa"},
      {"CC-BY-NC-ND-4.0", N_("CC BY-NC-ND 4.0"), "CC BY-NC-ND 4.0", "cc by-nc-nd|cc-by-nc-nd"},
      {"CC0-1.0", N_("CC0 1.0 (public domain)"), "CC0 1.0", "cc0|cc-0|общественное достояние"},
      {"all-rights-reserved", N_("all rights reserved"), "все права защищены", "все права сохранены"},
      {"network-only", N_("within the network only"), "только внутри сети", "внутри сети|только для сети"},
  };
  return v;
}

const std::vector<Term>& author_roles() {
  static const std::vector<Term> v = {
      {"author", N_("author"), "автор"},
      {"co-author", N_("co-author"), "соавтор"},
  };
  return v;
}

const std::vector<Term>& languages() {
  static const std::vector<Term> v = {
      {"ru", N_("Russian"), "русский"},    {"ce", N_("Chechen"), "чеченский", "нохчийн"},
      {"en", N_("English"), "английский"}, {"de", N_("German"), "немецкий"},
      {"fr", N_("French"), "французский"}, {"ar", N_("Arabic"), "арабский"},
  };
  return v;
}

namespace {

std::string language_code(std::string_view text) {
  auto t = util::ascii_lower(util::trim(text));
  bool iso =
      (t.size() == 2 || t.size() == 3) && std::all_of(t.begin(), t.end(), [](char c) { return c >= 'a' && c <= 'z'; });
  if (iso) return t;
  return parse_term(languages(), text, tr("language"));
}

int parse_grade(std::string_view s, std::string_view whole) {
  int g = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), g);
  if (ec != std::errc() || end != s.data() + s.size())
    throw Error(ErrorKind::usage,
                trf("«{}» is not a grade or a range of grades; write 5, or 5-7 (grades 1 to 11).", whole));
  if (g < 1 || g > 11)
    throw Error(ErrorKind::usage, trf("grade {} is out of range: grades are 1 to 11 («{}»).", g, whole));
  return g;
}

}  // namespace

std::pair<int, int> parse_grades(std::string_view text) {
  auto t = std::string(util::trim(text));
  // A trailing word: "5-7 класс", "5–7 кл.", "5-7 классы".
  if (auto sp = t.find(' '); sp != std::string::npos) {
    auto rest = util::fold(util::trim(std::string_view(t).substr(sp)));
    if (rest.rfind("кл", 0) == 0 || rest.rfind("grade", 0) == 0) t = std::string(util::trim(t.substr(0, sp)));
  }
  for (const char* dash : {"\u2013", "\u2014", "\u2012"})
    for (std::size_t p; (p = t.find(dash)) != std::string::npos;) t.replace(p, std::string_view(dash).size(), "-");
  std::erase(t, ' ');
  if (t.empty()) throw Error(ErrorKind::usage, tr("the grades are empty; write 5, or 5-7 (grades 1 to 11)."));
  auto dash = t.find('-');
  if (dash == std::string::npos) {
    int g = parse_grade(t, text);
    return {g, g};
  }
  int from = parse_grade(std::string_view(t).substr(0, dash), text);
  int to = parse_grade(std::string_view(t).substr(dash + 1), text);
  if (from > to)
    throw Error(ErrorKind::usage,
                trf("the grades «{}» go backwards; write the lower grade first ({}-{}).", text, to, from));
  return {from, to};
}

std::string grades_text(std::optional<int> from, std::optional<int> to) {
  if (!from || !to) return {};
  if (*from == *to) return std::to_string(*from);
  return fmt::format("{}\u2013{}", *from, *to);
}

std::pair<std::string, int> parse_criterion(std::string_view text) {
  auto eq = text.rfind('=');
  auto name = eq == std::string_view::npos ? std::string_view() : util::trim(text.substr(0, eq));
  int score = 0;
  if (eq != std::string_view::npos) {
    auto v = util::trim(text.substr(eq + 1));
    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), score);
    if (ec != std::errc() || end != v.data() + v.size()) score = 0;
  }
  if (name.empty() || score < 1 || score > 5)
    throw Error(ErrorKind::usage,
                trf("«{}» is not a criterion with a score; write NAME=SCORE with a score from 1 to 5, e.g. "
                    "«актуальность=5».",
                    text));
  return {checked_name(name, tr("criterion")), score};
}

// ---- Helpers

namespace {

std::string authors_json(const std::vector<std::pair<std::string, std::string>>& authors) {
  std::string out = "[";
  for (const auto& [person, role] : authors)
    out += fmt::format("{}{{\"person\":{},\"role\":{}}}", out.size() > 1 ? "," : "", util::json_quote(person),
                       util::json_quote(role));
  return out + "]";
}

struct Row {
  std::string owner, status, type;
  bool pupils = false;
  std::string consent;
  std::optional<std::string> published_at;
  std::string authors_json;
};

Row read_row(Db& db, const std::string& id) {
  Stmt s(db,
         "SELECT owner, status, type, pupils, consent, published_at, authors FROM product "
         "WHERE id = ? AND deleted = 0");
  s.bind(1, id);
  if (!s.step())
    throw Error(ErrorKind::not_found,
                trf("there is no product with the id {}. 'setevoe product list' shows the catalogue.", id));
  return {s.column_text(0), s.column_text(1),     s.column_text(2), s.column_int(3) != 0,
          s.column_text(4), s.column_optional(5), s.column_text(6)};
}

std::string status_label(std::string_view status) {
  return term_label(product_statuses(), status);
}

// The person ids of a product's authors.
std::vector<std::string> author_ids(Db& db, const std::string& authors_json) {
  Stmt s(db, "SELECT value->>'person' FROM json_each(?)");
  s.bind(1, authors_json);
  std::vector<std::string> out;
  while (s.step()) out.push_back(s.column_text(0));
  return out;
}

// Resolves and validates the fields given; `creating` fills defaults.
Fields product_fields(Db& db, const ProductFields& in, bool creating, std::string* first_author_org) {
  Fields f;
  if (in.type) f.push_back({"type", parse_term(product_types(), *in.type, tr("product type"))});
  if (in.title) f.push_back({"title", checked_name(*in.title, tr("title"))});
  if (in.annotation) f.push_back({"annotation", checked_text(*in.annotation, tr("annotation"), 20000)});
  if (in.keywords) f.push_back({"keywords", checked_text(*in.keywords, tr("keywords"), 2000)});
  if (in.subject) {
    auto subject = in.subject->empty() ? std::string() : checked_name(*in.subject, tr("subject"));
    // The spelling already in the catalogue, so that filters and completion
    // see one subject, not «Математика» and «математика».
    Stmt same(db, "SELECT 1 FROM product WHERE subject = ? LIMIT 1");
    same.bind(1, subject);
    if (!subject.empty() && !same.step()) {
      auto folded = util::fold(subject);
      for (const auto& known : product_subjects(db))
        if (util::fold(known) == folded) subject = known;
    }
    f.push_back({"subject", subject});
  }
  if (in.grades) {
    if (util::trim(*in.grades).empty()) {
      f.push_back({"grade_from", std::monostate{}});
      f.push_back({"grade_to", std::monostate{}});
    } else {
      auto [from, to] = parse_grades(*in.grades);
      f.push_back({"grade_from", std::int64_t{from}});
      f.push_back({"grade_to", std::int64_t{to}});
    }
  }
  if (in.language) f.push_back({"language", language_code(*in.language)});
  if (in.licence) f.push_back({"licence", parse_term(licences(), *in.licence, tr("licence"))});
  if (in.pupils) f.push_back({"pupils", std::int64_t{*in.pupils ? 1 : 0}});
  if (in.consent) f.push_back({"consent", checked_text(*in.consent, tr("consent reference"), 1000)});
  if (in.levels) {
    std::vector<std::string> codes;
    for (const auto& l : *in.levels) {
      auto code = parse_term(education_levels(), l, tr("level"));
      if (std::find(codes.begin(), codes.end(), code) == codes.end()) codes.push_back(code);
    }
    f.push_back({"levels", json_array(codes)});
  }
  if (in.directions)
    f.push_back({"directions",
                 resolved_json_array(*in.directions, [&](std::string_view d) { return resolve_direction(db, d); })});
  if (in.authors) {
    std::vector<std::pair<std::string, std::string>> authors;
    for (const auto& [ref, role] : *in.authors) {
      auto id = resolve_member(db, ref, "person");
      if (std::any_of(authors.begin(), authors.end(), [&](const auto& a) { return a.first == id; }))
        throw Error(ErrorKind::usage, trf("the person «{}» is named as an author twice.", ref));
      authors.push_back({id, parse_term(author_roles(), role, tr("author role"))});
    }
    if (first_author_org && !authors.empty()) {
      Stmt s(db, "SELECT coalesce(org, '') FROM person WHERE id = ?");
      s.bind(1, authors.front().first);
      if (s.step()) *first_author_org = s.column_text(0);
    }
    f.push_back({"authors", authors_json(authors)});
  }
  if (in.org) {
    if (util::trim(*in.org).empty())
      f.push_back({"org", std::monostate{}});
    else
      f.push_back({"org", resolve_member(db, *in.org, "org")});
  }
  if (creating) {
    if (!in.type) throw Error(ErrorKind::usage, tr("give the product's type with --type."));
    if (!in.title) throw Error(ErrorKind::usage, tr("give the product's title with --title."));
  }
  return f;
}

void check_consent(bool pupils, const std::string& consent, const std::string& id) {
  if (pupils && util::trim(consent).empty())
    throw Error(ErrorKind::usage,
                trf("pupils appear in the product {}: first record where the parents' consent is kept, with "
                    "'setevoe product edit {} --consent \"…\"'.",
                    id, id.substr(0, 8)));
}

std::optional<std::string> moderator_id(Db& db, const std::optional<std::string>& ref) {
  if (!ref) return std::nullopt;
  return resolve_member(db, *ref, "person");
}

void require_hub(Writer& w, std::string_view action) {
  if (w.self().role != Role::hub)
    throw Error(ErrorKind::not_permitted,
                trf("only the district hub may {} products: this node is a school. Submit the product with "
                    "'setevoe product submit ID'; the moderator decides.",
                    action));
}

}  // namespace

// ---- Operations

std::string add_product(Writer& w, const ProductFields& in) {
  std::string author_org;
  auto f = product_fields(w.db(), in, true, &author_org);
  if (!in.org) {
    if (author_org.empty())
      throw Error(ErrorKind::usage,
                  tr("name the org the product comes from with --org (or an author whose card names an org)."));
    f.push_back({"org", author_org});
  }
  if (!in.licence) f.push_back({"licence", std::string("network-only")});
  // A draft may lack the parents' consent reference; submit and publish insist on it.
  f.push_back({"status", std::string("draft")});
  return w.create(tables::product, f);
}

bool edit_product(Writer& w, const std::string& id, const ProductFields& patch) {
  if (patch.empty()) throw Error(ErrorKind::usage, tr("nothing to change: give at least one option."));
  read_row(w.db(), id);
  auto f = product_fields(w.db(), patch, false, nullptr);
  return w.update(tables::product, id, f);
}

void remove_product(Writer& w, const std::string& id) {
  read_row(w.db(), id);
  w.remove(tables::product, id);
}

void submit_product(Writer& w, const std::string& id) {
  auto row = read_row(w.db(), id);
  if (row.status == "submitted")
    throw Error(ErrorKind::usage, trf("the product {} is submitted already; the moderator decides.", id));
  if (row.status != "draft" && row.status != "rejected")
    throw Error(ErrorKind::usage, trf("the product {} is {}; only a draft or a rejected product is submitted.", id,
                                      status_label(row.status)));
  check_consent(row.pupils, row.consent, id);
  w.update(tables::product, id, {{"status", std::string("submitted")}, {"submitted_at", util::iso_utc(w.now_ms())}});
}

namespace {

// Publishing makes the product and its files every node's: the hub writes
// them again in its own public stream, because the nodes outside the draft's
// scope never received the owner's earlier changes (DESIGN.md, "Scope").
void make_public(Writer& w, const std::string& id) {
  w.restamp(tables::product, id);
  Stmt files(w.db(), "SELECT id FROM attachment WHERE entity = 'product' AND entity_id = ? AND deleted = 0");
  files.bind(1, id);
  std::vector<std::string> ids;
  while (files.step()) ids.push_back(files.column_text(0));
  for (const auto& a : ids) w.restamp(tables::attachment, a);
}

}  // namespace

void publish_product(Writer& w, const std::string& id, const std::optional<std::string>& moderator) {
  require_hub(w, tr("publish"));
  auto row = read_row(w.db(), id);
  if (row.status == "published") throw Error(ErrorKind::usage, trf("the product {} is published already.", id));
  check_consent(row.pupils, row.consent, id);
  auto now = util::iso_utc(w.now_ms());
  auto mod = moderator_id(w.db(), moderator);
  Fields f = {{"status", std::string("published")},
              {"moderated_at", now},
              {"moderator", mod ? Value(*mod) : Value()},
              {"reason", std::monostate{}}};
  bool first = !row.published_at;
  if (first) f.push_back({"published_at", now});
  w.update(tables::product, id, f);
  if (first) make_public(w, id);
}

void reject_product(Writer& w, const std::string& id, std::string_view reason,
                    const std::optional<std::string>& moderator) {
  require_hub(w, tr("reject"));
  auto why = util::trim(reason);
  if (why.empty())
    throw Error(ErrorKind::usage, tr("give the reason for rejecting with --reason; the authors will read it."));
  auto row = read_row(w.db(), id);
  if (row.status != "draft" && row.status != "submitted")
    throw Error(ErrorKind::usage,
                trf("the product {} is {}; only a submitted product (or a draft) is rejected. A published product "
                    "is archived.",
                    id, status_label(row.status)));
  auto mod = moderator_id(w.db(), moderator);
  w.update(tables::product, id,
           {{"status", std::string("rejected")},
            {"moderated_at", util::iso_utc(w.now_ms())},
            {"moderator", mod ? Value(*mod) : Value()},
            {"reason", checked_text(why, tr("reason"), 2000)}});
}

void archive_product(Writer& w, const std::string& id, const std::optional<std::string>& moderator) {
  require_hub(w, tr("archive"));
  auto row = read_row(w.db(), id);
  if (row.status == "archived") throw Error(ErrorKind::usage, trf("the product {} is archived already.", id));
  auto mod = moderator_id(w.db(), moderator);
  w.update(tables::product, id,
           {{"status", std::string("archived")},
            {"moderated_at", util::iso_utc(w.now_ms())},
            {"moderator", mod ? Value(*mod) : Value()}});
}

bool review_product(Writer& w, const std::string& product_id, const ReviewInput& in) {
  auto& db = w.db();
  auto row = read_row(db, product_id);
  if (row.status != "published")
    throw Error(ErrorKind::usage, trf("the product {} is {}; only published products are reviewed.", product_id,
                                      status_label(row.status)));
  if (in.score < 1 || in.score > 5)
    throw Error(ErrorKind::usage, trf("the score {} is out of range: give 1 to 5.", in.score));
  auto person = resolve_member(db, in.person, "person");
  auto authors = author_ids(db, row.authors_json);
  if (std::find(authors.begin(), authors.end(), person) != authors.end())
    throw Error(ErrorKind::usage, tr("an author does not review their own product; ask a colleague or an expert."));
  Stmt p(db, "SELECT owner FROM person WHERE id = ?");
  p.bind(1, person);
  p.step();
  auto person_owner = p.column_text(0);
  if (w.self().role != Role::hub && person_owner != w.self().id)
    throw Error(ErrorKind::not_permitted,
                trf("«{}» is a person of the node {}: a review is written on the node that keeps the reviewer's "
                    "card, or at the district hub.",
                    in.person, node_label(db, person_owner)));
  std::string criteria = "{";
  std::set<std::string> seen;
  for (const auto& [name, score] : in.criteria) {
    if (!seen.insert(util::fold(name)).second)
      throw Error(ErrorKind::usage, trf("the criterion «{}» is given twice.", name));
    criteria += fmt::format("{}{}:{}", criteria.size() > 1 ? "," : "", util::json_quote(name), score);
  }
  criteria += "}";
  Fields f = {{"product", product_id},
              {"person", person},
              {"score", std::int64_t{in.score}},
              {"criteria", criteria},
              {"comment", checked_text(in.comment, tr("comment"), 20000)},
              {"reviewed_at", util::iso_utc(w.now_ms())},
              {"deleted", std::int64_t{0}}};
  auto id = util::uuid_for_name("review:" + product_id + ":" + person);
  Stmt e(db, "SELECT 1 FROM review WHERE id = ?");
  e.bind(1, id);
  if (e.step()) {
    w.update(tables::review, id, f);
    return true;
  }
  f.pop_back();
  w.create_with_id(tables::review, id, f, person_owner == w.self().id ? std::string() : person_owner);
  return false;
}

// ---- Reading

std::string resolve_product(Db& db, std::string_view ref) {
  return resolve_record(
      db, ref,
      {"product", tr("an empty product id or title was given."),
       tr("«{}» matches {} products; give more digits of the id:{}"),
       tr("«{}» is the id of a record of the kind «{}», not of a product."),
       tr("no product «{}» in the catalogue. 'setevoe product list' or 'setevoe product search' finds it.")});
}

namespace {

constexpr const char* k_product_columns =
    "p.id, p.owner, p.type, p.title, p.annotation, coalesce(p.org, ''), coalesce(o.name, ''), p.subject, p.levels, "
    "p.grade_from, p.grade_to, p.language, p.keywords, p.licence, p.pupils, p.consent, p.status, p.submitted_at, "
    "p.moderator, p.moderated_at, p.reason, p.published_at, p._v, p.authors, p.directions, "
    "coalesce(m.name, '')";
constexpr const char* k_product_from =
    "FROM product p LEFT JOIN org o ON o.id = p.org AND o.deleted = 0 LEFT JOIN person m ON m.id = p.moderator";

std::optional<int> column_grade(const Stmt& s, int i) {
  if (s.column_is_null(i)) return std::nullopt;
  return static_cast<int>(s.column_int(i));
}

struct Details {
  Stmt levels, authors, directions, rating;
  explicit Details(Db& db)
      : levels(db, "SELECT value FROM json_each(?)"),
        authors(db,
                "SELECT j.value->>'person', coalesce(pe.name, ''), coalesce(j.value->>'role', 'author') "
                "FROM json_each(?) j LEFT JOIN person pe ON pe.id = j.value->>'person' AND pe.deleted = 0 "
                "ORDER BY j.key"),
        directions(db,
                   "SELECT d.id, d.code, d.name, d.owner FROM json_each(?) j JOIN direction d ON d.id = j.value "
                   "AND d.deleted = 0 ORDER BY j.key"),
        rating(
            db,
            "SELECT CAST(round(avg(score) * 100) AS INTEGER), count(*) FROM review WHERE product = ? AND deleted = 0") {
  }
};

Product read_product(const Stmt& s, Details& d) {
  Product p;
  p.id = s.column_text(0);
  p.owner = s.column_text(1);
  p.type = s.column_text(2);
  p.title = s.column_text(3);
  p.annotation = s.column_text(4);
  p.org_id = s.column_text(5);
  p.org_name = s.column_text(6);
  p.subject = s.column_text(7);
  d.levels.reset();
  d.levels.bind(1, s.column_text(8));
  while (d.levels.step()) p.levels.push_back(d.levels.column_text(0));
  p.grade_from = column_grade(s, 9);
  p.grade_to = column_grade(s, 10);
  p.language = s.column_text(11);
  p.keywords = s.column_text(12);
  p.licence = s.column_text(13);
  p.pupils = s.column_int(14) != 0;
  p.consent = s.column_text(15);
  p.status = s.column_text(16);
  p.submitted_at = s.column_optional(17);
  p.moderator_id = s.column_optional(18);
  p.moderated_at = s.column_optional(19);
  p.reason = s.column_optional(20);
  p.published_at = s.column_optional(21);
  p.moderator_name = s.column_text(25);
  std::tie(p.created_at, p.updated_at) = row_times(s.column_text(22), p.id);
  d.authors.reset();
  d.authors.bind(1, s.column_text(23));
  while (d.authors.step())
    p.authors.push_back({d.authors.column_text(0), d.authors.column_text(1), d.authors.column_text(2)});
  d.directions.reset();
  d.directions.bind(1, s.column_text(24));
  while (d.directions.step())
    p.directions.push_back({d.directions.column_text(0), d.directions.column_text(1), d.directions.column_text(2),
                            d.directions.column_text(3)});
  d.rating.reset();
  d.rating.bind(1, p.id);
  if (d.rating.step() && d.rating.column_int(1) > 0) {
    p.rating.count = d.rating.column_int(1);
    p.rating.mean = static_cast<double>(d.rating.column_int(0)) / 100;
  }
  return p;
}

}  // namespace

Product get_product(Db& db, const std::string& id) {
  auto products = get_products(db, {id});
  if (products.empty())
    throw Error(ErrorKind::not_found,
                trf("there is no product with the id {}. 'setevoe product list' shows the catalogue.", id));
  return products.front();
}

std::vector<Product> get_products(Db& db, const std::vector<std::string>& ids) {
  Details d(db);
  Stmt s(db, fmt::format("SELECT {} {} WHERE p.id = ? AND p.deleted = 0", k_product_columns, k_product_from));
  std::vector<Product> out;
  for (const auto& id : ids) {
    s.reset();
    s.bind(1, id);
    if (s.step()) out.push_back(read_product(s, d));
  }
  return out;
}

FilterSql filter_sql(Db& db, const ProductFilter& f, FilterOn on) {
  FilterSql out{"p.deleted = 0", {}};
  auto add = [&](std::string cond, Value v) {
    out.params.push_back(std::move(v));
    for (std::size_t pos; (pos = cond.find("?N")) != std::string::npos;)
      cond.replace(pos, 2, "?" + std::to_string(out.params.size()));
    out.where += " AND " + cond;
  };
  if (f.type) add("p.type = ?N", parse_term(product_types(), *f.type, tr("product type")));
  if (f.status) {
    if (util::fold(*f.status) != "all" && util::fold(*f.status) != util::fold("все"))
      add("p.status = ?N", parse_term(product_statuses(), *f.status, tr("status")));
  } else {
    out.where += " AND p.status <> 'archived'";
  }
  if (f.direction)
    add("EXISTS (SELECT 1 FROM json_each(p.directions) WHERE value = ?N)", resolve_direction(db, *f.direction));
  if (f.subject) {
    auto folded = util::fold(util::trim(*f.subject));
    std::string in;
    for (const auto& known : product_subjects(db))
      if (util::fold(known) == folded) {
        out.params.push_back(known);
        in += (in.empty() ? "" : ", ") + ("?" + std::to_string(out.params.size()));
      }
    if (in.empty())
      throw Error(
          ErrorKind::not_found,
          trf("no product has the subject «{}». 'setevoe product list' shows the subjects in use.", *f.subject));
    out.where += " AND p.subject IN (" + in + ")";
  }
  if (f.grade) {
    if (*f.grade < 1 || *f.grade > 11)
      throw Error(ErrorKind::usage, trf("grade {} is out of range: grades are 1 to 11.", *f.grade));
    add("p.grade_from <= ?N AND p.grade_to >= ?N", std::int64_t{*f.grade});
  }
  if (f.org) add("p.org = ?N", resolve_member(db, *f.org, "org"));
  if (f.author)
    add(on == FilterOn::product ? "EXISTS (SELECT 1 FROM json_each(p.authors) WHERE value->>'person' = ?N)"
                                : "p.id IN (SELECT product FROM search_person WHERE person = ?N)",
        resolve_member(db, *f.author, "person"));
  if (f.since) {
    auto date = util::parse_date(*f.since);
    if (!date)
      throw Error(ErrorKind::usage,
                  trf("«{}» is not a date; write YYYY-MM-DD or DD.MM.YYYY (for example 01.09.2026).", *f.since));
    // UUIDv7 ids begin with their creation time: "made since" is an id range.
    int y = std::stoi(date->substr(0, 4)), m = std::stoi(date->substr(5, 2)), day = std::stoi(date->substr(8, 2));
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    std::int64_t days = static_cast<std::int64_t>(era) * 146097 + doe - 719468;
    add("p.id >= ?N", util::uuid7_floor(days * 86400000));
  }
  return out;
}

std::vector<Product> list_products(Db& db, const ProductFilter& f) {
  auto filter = filter_sql(db, f);
  Details d(db);
  Stmt s(db, fmt::format("SELECT {} {} WHERE {} ORDER BY p.id DESC{}", k_product_columns, k_product_from, filter.where,
                         f.limit ? fmt::format(" LIMIT {}", f.limit) : std::string()));
  for (std::size_t i = 0; i < filter.params.size(); ++i) s.bind(static_cast<int>(i) + 1, filter.params[i]);
  std::vector<Product> out;
  while (s.step()) out.push_back(read_product(s, d));
  return out;
}

std::vector<Review> list_reviews(Db& db, const std::string& product_id) {
  Stmt s(db,
         "SELECT r.id, r.owner, r.person, coalesce(pe.name, ''), r.score, r.criteria, r.comment, r.reviewed_at "
         "FROM review r LEFT JOIN person pe ON pe.id = r.person WHERE r.product = ? AND r.deleted = 0 "
         "ORDER BY r.reviewed_at");
  s.bind(1, product_id);
  Stmt c(db, "SELECT key, value FROM json_each(?)");
  std::vector<Review> out;
  while (s.step()) {
    Review r;
    r.id = s.column_text(0);
    r.owner = s.column_text(1);
    r.product_id = product_id;
    r.person_id = s.column_text(2);
    r.person_name = s.column_text(3);
    r.score = static_cast<int>(s.column_int(4));
    c.reset();
    c.bind(1, s.column_text(5));
    while (c.step()) r.criteria.push_back({c.column_text(0), static_cast<int>(c.column_int(1))});
    r.comment = s.column_text(6);
    r.reviewed_at = s.column_text(7);
    out.push_back(std::move(r));
  }
  return out;
}

// ---- Subscriptions

int subscribe(Writer& w, const std::vector<std::string>& directions, const std::vector<std::string>& orgs,
              bool remove) {
  auto& db = w.db();
  if (w.self().role == Role::hub)
    throw Error(ErrorKind::usage, tr("the hub keeps every file of the catalogue; subscriptions are the schools'."));
  std::vector<std::pair<std::string, std::string>> wanted;
  for (const auto& d : directions) wanted.push_back({"direction", resolve_direction(db, d)});
  for (const auto& o : orgs) wanted.push_back({"org", resolve_member(db, o, "org")});
  if (wanted.empty()) throw Error(ErrorKind::usage, tr("name at least one --direction or --org."));
  int changed = 0;
  for (const auto& [kind, ref] : wanted) {
    auto id = util::uuid_for_name("subscription:" + w.self().id + ":" + kind + ":" + ref);
    Stmt s(db, "SELECT deleted FROM subscription WHERE id = ?");
    s.bind(1, id);
    bool exists = s.step();
    bool active = exists && s.column_int(0) == 0;
    s.reset();
    if (remove) {
      if (active) {
        w.remove(tables::subscription, id);
        ++changed;
      }
    } else if (!exists) {
      w.create_with_id(tables::subscription, id, {{"node", w.self().id}, {"kind", kind}, {"ref", ref}});
      ++changed;
    } else if (!active) {
      w.update(tables::subscription, id, {{"deleted", std::int64_t{0}}});
      ++changed;
    }
  }
  return changed;
}

std::vector<Subscription> list_subscriptions(Db& db, const std::string& node) {
  Stmt s(db,
         "SELECT s.kind, s.ref, coalesce(d.name, o.name, '') FROM subscription s "
         "LEFT JOIN direction d ON s.kind = 'direction' AND d.id = s.ref "
         "LEFT JOIN org o ON s.kind = 'org' AND o.id = s.ref "
         "WHERE s.node = ?1 AND s.owner = ?1 AND s.deleted = 0 ORDER BY s.kind, 3");
  s.bind(1, node);
  std::vector<Subscription> out;
  while (s.step()) out.push_back({s.column_text(0), s.column_text(1), s.column_text(2)});
  return out;
}

bool wants_product_files(Db& db, const std::string& node, const std::string& product_id) {
  auto& any = db.cached("SELECT 1 FROM subscription WHERE node = ?1 AND owner = ?1 AND deleted = 0 LIMIT 1");
  any.bind(1, node);
  bool subscribed = any.step();
  any.reset();
  if (!subscribed) return true;
  auto& match = db.cached(
      "SELECT 1 FROM product p WHERE p.id = ?2 AND (p.owner = ?1 OR EXISTS (SELECT 1 FROM subscription s "
      "WHERE s.node = ?1 AND s.owner = ?1 AND s.deleted = 0 AND ((s.kind = 'org' AND (s.ref = p.org OR EXISTS ("
      "SELECT 1 FROM json_each(p.authors) a JOIN membership m ON m.person = a.value->>'person' AND m.grp = s.ref "
      "AND m.deleted = 0))) OR "
      "(s.kind = 'direction' AND s.ref IN (SELECT value FROM json_each(p.directions))))))");
  match.bind(1, node).bind(2, product_id);
  bool out = match.step();
  match.reset();
  return out;
}

std::vector<std::pair<std::string, std::string>> product_ids_by_prefix(Db& db, const std::string& prefix,
                                                                       std::size_t limit) {
  Stmt s(db,
         "SELECT id, title FROM product WHERE id >= ?1 AND id < ?1 || '~' AND deleted = 0 ORDER BY id DESC "
         "LIMIT ?2");
  s.bind(1, prefix).bind(2, static_cast<std::int64_t>(limit));
  std::vector<std::pair<std::string, std::string>> out;
  while (s.step()) out.push_back({s.column_text(0), s.column_text(1)});
  return out;
}

std::vector<std::string> product_subjects(Db& db) {
  // A skip scan of the subject index: one seek per subject, not a pass over
  // a catalogue of 200,000 (removed products' subjects count too).
  Stmt s(db,
         "WITH RECURSIVE s(v) AS (SELECT min(subject) FROM product WHERE subject > '' UNION ALL "
         "SELECT (SELECT min(subject) FROM product WHERE subject > s.v) FROM s WHERE s.v IS NOT NULL) "
         "SELECT v FROM s WHERE v IS NOT NULL");
  std::vector<std::string> out;
  while (s.step()) out.push_back(s.column_text(0));
  return out;
}

}  // namespace setevoe::core
