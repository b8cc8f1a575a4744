// The «Консультация» service: questions, experts, answers, the FAQ.
#include "core/consult.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <tuple>

#include "core/fields.hpp"
#include "core/i18n.hpp"
#include "core/node.hpp"
#include "core/util/text.hpp"
#include "core/util/time.hpp"
#include "core/util/uuid.hpp"

namespace setevoe::core {

const std::vector<Term>& question_statuses() {
  static const std::vector<Term> v = {
      {"open", N_("open"), "открыт", "открытый|новый"},
      {"assigned", N_("assigned"), "назначен", "назначены эксперты"},
      {"answered", N_("answered"), "отвечен", "есть ответ"},
      {"closed", N_("closed"), "закрыт"},
      {"overdue", N_("overdue"), "просрочен", "просроченный"},
  };
  return v;
}

// ---- Working days

namespace {

std::chrono::year_month_day ymd_of(const std::string& date) {
  using namespace std::chrono;
  return {year{std::stoi(date.substr(0, 4))}, month{static_cast<unsigned>(std::stoi(date.substr(5, 2)))},
          day{static_cast<unsigned>(std::stoi(date.substr(8, 2)))}};
}

bool listed(const std::vector<std::string>& sorted, const std::string& date) {
  return std::binary_search(sorted.begin(), sorted.end(), date);
}

}  // namespace

bool is_working_day(const std::string& date, const WorkCalendar& calendar) {
  if (listed(calendar.working_days, date)) return true;
  if (listed(calendar.holidays, date)) return false;
  std::chrono::weekday wd{std::chrono::sys_days{ymd_of(date)}};
  if (wd == std::chrono::Saturday || wd == std::chrono::Sunday) return false;
  auto year = date.substr(0, 4);
  bool year_listed = std::any_of(calendar.holidays.begin(), calendar.holidays.end(),
                                 [&](const std::string& h) { return h.compare(0, 4, year) == 0; });
  if (year_listed) return true;
  auto md = date.substr(5);
  static const char* fixed[] = {"01-01", "01-02", "01-03", "01-04", "01-05", "01-06", "01-07",
                                "01-08", "02-23", "03-08", "05-01", "05-09", "06-12", "11-04"};
  return std::none_of(std::begin(fixed), std::end(fixed), [&](const char* f) { return md == f; });
}

std::string add_working_days(const std::string& date, int n, const WorkCalendar& calendar) {
  auto d = date;
  for (int counted = 0; counted < n;) {
    d = util::add_days(d, 1);
    if (is_working_day(d, calendar)) ++counted;
  }
  return d;
}

// ---- Operations

namespace {

struct Row {
  std::string owner, title, direction;
  std::string experts_json;
  bool closed = false;
};

Row read_row(Db& db, const std::string& id) {
  Stmt s(db,
         "SELECT owner, title, direction, experts, closed_at IS NOT NULL FROM question WHERE id = ? AND deleted = 0");
  s.bind(1, id);
  if (!s.step())
    throw Error(ErrorKind::not_found,
                trf("there is no question with the id {}. 'setevoe consult list' shows the questions.", id));
  return {s.column_text(0), s.column_text(1), s.column_text(2), s.column_text(3), s.column_int(4) != 0};
}

std::vector<std::string> direction_experts(Db& db, const std::string& direction) {
  Stmt s(db,
         "SELECT e.person FROM expertise e JOIN person p ON p.id = e.person AND p.deleted = 0 "
         "WHERE e.direction = ? AND e.deleted = 0 GROUP BY e.person ORDER BY p.name, e.person");
  s.bind(1, direction);
  std::vector<std::string> out;
  while (s.step()) out.push_back(s.column_text(0));
  return out;
}

// A hub writes the question again so that it travels whole to the nodes
// that see it now (an expert's school that had only a placeholder of it).
void widen(Writer& w, const std::string& id) {
  w.restamp(tables::question, id);
  for (const auto& [spec, row] : tables::question.republish_with(w.db(), id)) w.restamp(*spec, row);
}

}  // namespace

std::string ask_question(Writer& w, const QuestionInput& in, const WorkCalendar& calendar, const std::string& tz) {
  auto& db = w.db();
  auto title = checked_text(in.title, tr("title"), 500);
  if (title.empty()) throw Error(ErrorKind::usage, tr("the title is empty; say in a few words what the question is."));
  auto text = checked_text(in.text, tr("text"), 20000);
  if (text.empty()) throw Error(ErrorKind::usage, tr("the question's text is empty; give it with --text."));
  auto person = resolve_member(db, in.person, "person");
  auto direction = resolve_direction(db, in.direction);
  auto asked_on = util::local_date(w.now_ms(), tz);
  return w.create(tables::question, {{"person", person},
                                     {"direction", direction},
                                     {"title", title},
                                     {"text", text},
                                     {"asked_at", util::iso_utc(w.now_ms())},
                                     {"due_on", add_working_days(asked_on, calendar.answer_days, calendar)},
                                     {"publish", std::int64_t{in.publish ? 1 : 0}}});
}

void assign_question(Writer& w, const std::string& id, const std::vector<std::string>& experts) {
  if (w.self().role != Role::hub)
    throw Error(ErrorKind::not_permitted,
                tr("experts are assigned by the district hub; this node is a school. The hub assigns them when the "
                   "question reaches it."));
  auto& db = w.db();
  auto row = read_row(db, id);
  if (row.closed) throw Error(ErrorKind::usage, trf("the question «{}» is closed; reopen it first.", row.title));
  std::vector<std::string> ids;
  if (experts.empty()) {
    ids = direction_experts(db, row.direction);
    if (ids.empty())
      throw Error(ErrorKind::usage, tr("no experts are appointed for the question's direction; appoint them with "
                                       "'setevoe member expert', or name them with --expert."));
  } else {
    for (const auto& e : experts) {
      auto p = resolve_member(db, e, "person");
      if (std::find(ids.begin(), ids.end(), p) == ids.end()) ids.push_back(p);
    }
  }
  if (w.update(tables::question, id, {{"experts", json_array(ids)}, {"assigned_at", util::iso_utc(w.now_ms())}}))
    widen(w, id);
}

std::size_t assign_unassigned(Writer& w) {
  if (w.self().role != Role::hub)
    throw Error(ErrorKind::not_permitted, tr("experts are assigned by the district hub; this node is a school."));
  Stmt s(w.db(),
         "SELECT id, direction FROM question q WHERE deleted = 0 AND closed_at IS NULL AND experts = '[]' AND NOT "
         "EXISTS (SELECT 1 FROM answer a WHERE a.question = q.id AND a.deleted = 0)");
  std::vector<std::pair<std::string, std::string>> open;
  while (s.step()) open.emplace_back(s.column_text(0), s.column_text(1));
  std::size_t n = 0;
  for (const auto& [id, direction] : open) {
    auto ids = direction_experts(w.db(), direction);
    if (ids.empty()) continue;
    w.update(tables::question, id, {{"experts", json_array(ids)}, {"assigned_at", util::iso_utc(w.now_ms())}});
    widen(w, id);
    ++n;
  }
  return n;
}

std::string answer_question(Writer& w, const std::string& id, const std::string& expert, std::string_view text_in) {
  auto& db = w.db();
  auto row = read_row(db, id);
  if (row.closed)
    throw Error(ErrorKind::usage,
                trf("the question «{}» is closed; it is not answered any more (its asker may reopen it).", row.title));
  auto text = checked_text(text_in, tr("text"), 20000);
  if (text.empty()) throw Error(ErrorKind::usage, tr("the answer's text is empty; give it with --text."));
  auto person = resolve_member(db, expert, "person");
  Stmt ok(db,
          "SELECT EXISTS (SELECT 1 FROM json_each(?1) WHERE value = ?2) OR EXISTS (SELECT 1 FROM expertise "
          "WHERE person = ?2 AND direction = ?3 AND deleted = 0)");
  ok.bind(1, row.experts_json).bind(2, person).bind(3, row.direction);
  ok.step();
  if (ok.column_int(0) == 0)
    throw Error(ErrorKind::usage,
                trf("«{}» is neither assigned to this question nor an expert of its direction; the hub assigns "
                    "experts with 'setevoe consult assign'.",
                    expert));
  return w.create(tables::answer,
                  {{"question", id}, {"person", person}, {"text", text}, {"answered_at", util::iso_utc(w.now_ms())}});
}

void accept_answer(Writer& w, const std::string& id, const std::string& answer, std::optional<bool> publish) {
  auto& db = w.db();
  auto row = read_row(db, id);
  auto ref = util::canonical_id_prefix(util::trim(answer));
  if (!ref || ref->size() < 4)
    throw Error(ErrorKind::usage, trf("«{}» is not an answer's id; 'setevoe consult show' lists them.", answer));
  Stmt s(db, "SELECT id FROM answer WHERE question = ? AND deleted = 0 AND id LIKE ? || '%' ORDER BY id");
  s.bind(1, id).bind(2, *ref);
  std::vector<std::string> found;
  while (s.step()) found.push_back(s.column_text(0));
  if (found.empty())
    throw Error(
        ErrorKind::not_found,
        trf("the question «{}» has no answer {}; 'setevoe consult show' lists its answers.", row.title, answer));
  if (found.size() > 1)
    throw Error(ErrorKind::usage, trf("«{}» matches {} answers; give more digits of the id.", answer, found.size()));
  // What every node has received cannot be called back: once in the FAQ,
  // the answer stays there.
  if (publish && !*publish && tables::question.public_row(db, id))
    throw Error(ErrorKind::usage, trf("the answer to «{}» is in the network's FAQ already, and every node has it; "
                                      "it cannot be withdrawn from there.",
                                      row.title));
  Fields f = {{"accepted", found[0]}, {"accepted_at", util::iso_utc(w.now_ms())}};
  if (publish) f.push_back({"publish", std::int64_t{*publish ? 1 : 0}});
  w.update(tables::question, id, f);
  // A hub that accepts for the asker publishes at once what may be published.
  if (w.self().role == Role::hub && tables::question.public_row(db, id)) widen(w, id);
}

void close_question(Writer& w, const std::string& id) {
  auto row = read_row(w.db(), id);
  if (row.closed) throw Error(ErrorKind::usage, trf("the question «{}» is closed already.", row.title));
  w.update(tables::question, id, {{"closed_at", util::iso_utc(w.now_ms())}});
}

void reopen_question(Writer& w, const std::string& id) {
  auto row = read_row(w.db(), id);
  if (!row.closed) throw Error(ErrorKind::usage, trf("the question «{}» is not closed.", row.title));
  w.update(tables::question, id, {{"closed_at", std::monostate{}}});
}

// ---- Reading

namespace {

constexpr const char* k_status_sql =
    "CASE WHEN q.closed_at IS NOT NULL THEN 'closed' "
    "WHEN EXISTS (SELECT 1 FROM answer a WHERE a.question = q.id AND a.deleted = 0) THEN 'answered' "
    "WHEN q.experts <> '[]' THEN 'assigned' ELSE 'open' END";

std::string columns() {
  return fmt::format(
      "q.id, q.owner, q.person, coalesce(p.name, ''), q.direction, coalesce(d.code, ''), coalesce(d.name, ''), "
      "q.title, q.text, q.asked_at, q.due_on, q.publish, q.experts, q.assigned_at, q.accepted, q.accepted_at, "
      "q.closed_at, (SELECT min(answered_at) FROM answer a WHERE a.question = q.id AND a.deleted = 0), "
      "(SELECT count(*) FROM answer a WHERE a.question = q.id AND a.deleted = 0), {} AS status, q._v",
      k_status_sql);
}
constexpr const char* k_from =
    "FROM question q LEFT JOIN person p ON p.id = q.person LEFT JOIN direction d ON d.id = q.direction";

Question read_question(const Stmt& s, Stmt& experts, const std::string& today) {
  Question q;
  q.id = s.column_text(0);
  q.owner = s.column_text(1);
  q.person_id = s.column_text(2);
  q.person_name = s.column_text(3);
  q.direction_id = s.column_text(4);
  q.direction_code = s.column_text(5);
  q.direction_name = s.column_text(6);
  q.title = s.column_text(7);
  q.text = s.column_text(8);
  q.asked_at = s.column_text(9);
  q.due_on = s.column_text(10);
  q.publish = s.column_int(11) != 0;
  experts.reset();
  experts.bind(1, s.column_text(12));
  while (experts.step()) q.experts.emplace_back(experts.column_text(0), experts.column_text(1));
  q.assigned_at = s.column_optional(13);
  q.accepted = s.column_optional(14);
  q.accepted_at = s.column_optional(15);
  q.closed_at = s.column_optional(16);
  q.first_answer_at = s.column_optional(17);
  q.answers = s.column_int(18);
  q.status = s.column_text(19);
  q.overdue = (q.status == "open" || q.status == "assigned") && q.due_on < today;
  std::tie(q.created_at, q.updated_at) = row_times(s.column_text(20), q.id);
  return q;
}

Stmt experts_stmt(Db& db) {
  return Stmt(db,
              "SELECT j.value, coalesce(p.name, '') FROM json_each(?) j LEFT JOIN person p ON p.id = j.value "
              "ORDER BY j.key");
}

}  // namespace

std::string resolve_question(Db& db, std::string_view ref) {
  return resolve_record(db, ref,
                        {"question", tr("an empty question id or title was given."),
                         tr("«{}» matches {} questions; give more digits of the id:{}"),
                         tr("«{}» is the id of a record of the kind «{}», not of a question."),
                         tr("no question «{}» here. 'setevoe consult list' shows the questions.")});
}

Question get_question(Db& db, const std::string& id, const std::string& today) {
  auto experts = experts_stmt(db);
  Stmt s(db, fmt::format("SELECT {} {} WHERE q.id = ? AND q.deleted = 0", columns(), k_from));
  s.bind(1, id);
  if (!s.step())
    throw Error(ErrorKind::not_found,
                trf("there is no question with the id {}. 'setevoe consult list' shows the questions.", id));
  return read_question(s, experts, today);
}

std::vector<Question> list_questions(Db& db, const QuestionFilter& f, const std::string& today) {
  std::string where = "q.deleted = 0";
  std::vector<Value> params;
  auto add = [&](const std::string& cond, Value v) {
    params.push_back(std::move(v));
    where += " AND " + fmt::format(fmt::runtime(cond), params.size());
  };
  std::string order = "q.asked_at DESC, q.id DESC";
  if (f.status) {
    auto code = parse_term(question_statuses(), *f.status, "--status");
    if (code == "overdue") {
      // Not closed, past due, no answer: the index on due_on of open questions serves it.
      add("q.closed_at IS NULL AND q.due_on < ?{}", today);
      where += " AND NOT EXISTS (SELECT 1 FROM answer a WHERE a.question = q.id AND a.deleted = 0)";
      order = "q.due_on, q.asked_at, q.id";
    } else if (code == "closed") {
      where += " AND q.closed_at IS NOT NULL";
    } else {
      add(fmt::format("({}) = ?{{}}", k_status_sql), code);
    }
  }
  if (f.direction) add("q.direction = ?{}", resolve_direction(db, *f.direction));
  if (f.expert)
    add("EXISTS (SELECT 1 FROM json_each(q.experts) WHERE value = ?{})", resolve_member(db, *f.expert, "person"));
  if (f.person) add("q.person = ?{}", resolve_member(db, *f.person, "person"));
  auto experts = experts_stmt(db);
  Stmt s(db, fmt::format("SELECT {} {} WHERE {} ORDER BY {}{}", columns(), k_from, where, order,
                         f.limit ? fmt::format(" LIMIT {}", f.limit) : std::string()));
  for (std::size_t i = 0; i < params.size(); ++i) s.bind(static_cast<int>(i) + 1, params[i]);
  std::vector<Question> out;
  while (s.step()) out.push_back(read_question(s, experts, today));
  return out;
}

std::vector<Answer> list_answers(Db& db, const std::string& question_id) {
  Stmt s(
      db,
      "SELECT a.id, a.owner, a.question, a.person, coalesce(p.name, ''), a.text, a.answered_at, "
      "coalesce(q.accepted = a.id, 0) FROM answer a LEFT JOIN person p ON p.id = a.person "
      "LEFT JOIN question q ON q.id = a.question WHERE a.question = ? AND a.deleted = 0 ORDER BY a.answered_at, a.id");
  s.bind(1, question_id);
  std::vector<Answer> out;
  while (s.step())
    out.push_back({s.column_text(0), s.column_text(1), s.column_text(2), s.column_text(3), s.column_text(4),
                   s.column_text(5), s.column_text(6), s.column_int(7) != 0});
  return out;
}

std::vector<FaqEntry> list_faq(Db& db, const std::optional<std::string>& direction, const std::string& today) {
  std::string where = "q.deleted = 0 AND q.publish = 1 AND q.accepted IS NOT NULL";
  std::optional<std::string> dir;
  if (direction) {
    dir = resolve_direction(db, *direction);
    where += " AND q.direction = ?1";
  }
  auto experts = experts_stmt(db);
  Stmt s(db, fmt::format("SELECT {} {} WHERE {} AND EXISTS (SELECT 1 FROM answer a WHERE a.id = q.accepted AND "
                         "a.deleted = 0) ORDER BY d.code, q.accepted_at DESC, q.id",
                         columns(), k_from, where));
  if (dir) s.bind(1, *dir);
  std::vector<FaqEntry> out;
  while (s.step()) {
    FaqEntry e;
    e.question = read_question(s, experts, today);
    for (auto& a : list_answers(db, e.question.id))
      if (a.accepted) e.answer = std::move(a);
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace setevoe::core
