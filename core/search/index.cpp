// The catalogue's full-text index and search (see index.hpp).
#include "core/search/index.hpp"

#include <fmt/format.h>
#include <sqlite3.h>
#include <utf8proc.h>

#include <algorithm>
#include <charconv>
#include <set>

#include "core/extract.hpp"
#include "core/i18n.hpp"
#include "core/objects.hpp"
#include "core/search/tokenize.hpp"
#include "core/util/text.hpp"

namespace setevoe::core::search {
namespace {

// All the text a file of a product may add to the index.
constexpr std::size_t k_file_text_limit = 1 << 20;
constexpr std::size_t k_product_files_limit = 2 << 20;

std::string spaced(const char* aliases) {
  std::string out = aliases;
  std::replace(out.begin(), out.end(), '|', ' ');
  return out;
}

// The Russian words of a vocabulary code: its label and aliases, so that
// "КИМ" or "технологическая карта" find the type.
std::string term_words(const std::vector<Term>& terms, std::string_view code) {
  for (const auto& t : terms)
    if (code == t.code) return std::string(t.ru) + " " + spaced(t.aliases);
  return std::string(code);
}

struct Doc {
  std::string title, keywords, annotation, people, meta, files, file_shas;
  // search_filter's columns from status to directions.
  std::vector<Value> filter;
};

class Indexer {
 public:
  explicit Indexer(Db& db)
      : m_db(db),
        m_store(db.path()),
        m_product(db,
                  "SELECT p.title, p.keywords, p.annotation, p.type, p.subject, p.levels, p.language, p.authors, "
                  "coalesce(o.name, ''), coalesce(o.short_name, ''), p.directions, p.status, p.org, p.grade_from, "
                  "p.grade_to FROM product p "
                  "LEFT JOIN org o ON o.id = p.org AND o.deleted = 0 WHERE p.id = ? AND p.deleted = 0"),
        m_authors(db,
                  "SELECT j.value->>'person', coalesce(pe.name, '') FROM json_each(?) j "
                  "LEFT JOIN person pe ON pe.id = j.value->>'person' AND pe.deleted = 0"),
        m_directions(db, "SELECT d.name FROM json_each(?) j JOIN direction d ON d.id = j.value"),
        m_levels(db, "SELECT value FROM json_each(?)"),
        m_files(db,
                "SELECT name, sha256 FROM attachment WHERE entity = 'product' AND entity_id = ? AND deleted = 0 "
                "ORDER BY name, sha256"),
        m_old(db,
              "SELECT rowid, title, keywords, annotation, people, meta, files, file_shas FROM search_doc "
              "WHERE product = ?"),
        m_fts_delete(db,
                     "INSERT INTO product_fts (product_fts, rowid, title, keywords, annotation, people, meta, files) "
                     "VALUES ('delete', ?, ?, ?, ?, ?, ?, ?)"),
        m_fts_insert(db,
                     "INSERT INTO product_fts (rowid, title, keywords, annotation, people, meta, files) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?)"),
        m_doc_insert(db,
                     "INSERT INTO search_doc (product, title, keywords, annotation, people, meta, files, file_shas) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
        m_doc_update(db,
                     "UPDATE search_doc SET title = ?2, keywords = ?3, annotation = ?4, people = ?5, meta = ?6, "
                     "files = ?7, file_shas = ?8 WHERE rowid = ?1"),
        m_doc_delete(db, "DELETE FROM search_doc WHERE rowid = ?"),
        // A plain INSERT of one row (the old row deleted first), not INSERT
        // OR REPLACE or INSERT … SELECT: such a statement opens a savepoint,
        // and at each savepoint FTS5 writes out the terms it holds in memory
        // (a reindex of 200,000 products took half as long again).
        m_filter_upsert(db,
                        "INSERT INTO search_filter (rowid, id, status, type, subject, org, grade_from, "
                        "grade_to, directions) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"),
        m_filter_delete(db, "DELETE FROM search_filter WHERE rowid = ?1 OR id = ?2"),
        m_people_delete(db, "DELETE FROM search_person WHERE product = ?"),
        m_people_insert(db, "INSERT OR IGNORE INTO search_person (person, product) VALUES (?, ?)") {}

  // Brings one product's entry up to date (removes it when the product is).
  void index(const std::string& id, bool reread_files) {
    std::int64_t old_rowid = 0;
    Doc old;
    m_old.reset();
    m_old.bind(1, id);
    if (m_old.step()) {
      old_rowid = m_old.column_int(0);
      old = {m_old.column_text(1), m_old.column_text(2), m_old.column_text(3), m_old.column_text(4),
             m_old.column_text(5), m_old.column_text(6), m_old.column_text(7), {}};
      m_fts_delete.reset();
      m_fts_delete.bind(1, old_rowid);
      bind_doc(m_fts_delete, 2, old);
      m_fts_delete.run();
    }
    m_old.reset();
    m_people_delete.reset();
    m_people_delete.bind(1, id).run();
    auto doc = read(id, old, reread_files);
    ++stats.products;
    if (!doc) {
      if (old_rowid) {
        m_doc_delete.reset();
        m_doc_delete.bind(1, old_rowid).run();
        m_filter_delete.reset();
        m_filter_delete.bind(1, old_rowid).bind(2, id).run();
      }
      return;
    }
    std::int64_t rowid = old_rowid;
    if (old_rowid) {
      m_doc_update.reset();
      m_doc_update.bind(1, old_rowid);
      bind_doc(m_doc_update, 2, *doc);
      m_doc_update.bind(8, doc->file_shas).run();
    } else {
      m_doc_insert.reset();
      m_doc_insert.bind(1, id);
      bind_doc(m_doc_insert, 2, *doc);
      m_doc_insert.bind(8, doc->file_shas).run();
      rowid = sqlite3_last_insert_rowid(m_db.handle());
    }
    m_fts_insert.reset();
    m_fts_insert.bind(1, rowid);
    bind_doc(m_fts_insert, 2, *doc);
    m_fts_insert.run();
    m_filter_delete.reset();
    m_filter_delete.bind(1, rowid).bind(2, id).run();  // also a row the shell left behind
    m_filter_upsert.reset();
    m_filter_upsert.bind(1, rowid).bind(2, id);
    for (std::size_t i = 0; i < doc->filter.size(); ++i) m_filter_upsert.bind(static_cast<int>(i) + 3, doc->filter[i]);
    m_filter_upsert.run();
  }

  IndexStats stats;

 private:
  static void bind_doc(Stmt& s, int from, const Doc& d) {
    s.bind(from, d.title)
        .bind(from + 1, d.keywords)
        .bind(from + 2, d.annotation)
        .bind(from + 3, d.people)
        .bind(from + 4, d.meta)
        .bind(from + 5, d.files);
  }

  std::optional<Doc> read(const std::string& id, const Doc& old, bool reread_files) {
    auto& p = m_product;
    p.reset();
    p.bind(1, id);
    if (!p.step()) return std::nullopt;
    Doc d;
    d.title = p.column_text(0);
    d.keywords = p.column_text(1);
    d.annotation = p.column_text(2);
    d.meta = term_words(product_types(), p.column_text(3));
    d.meta += "\n" + p.column_text(4);
    m_levels.reset();
    m_levels.bind(1, p.column_text(5));
    while (m_levels.step()) d.meta += "\n" + term_words(education_levels(), m_levels.column_text(0));
    d.meta += "\n" + term_words(languages(), p.column_text(6));
    m_directions.reset();
    m_directions.bind(1, p.column_text(10));
    while (m_directions.step()) d.meta += "\n" + m_directions.column_text(0);
    m_authors.reset();
    m_authors.bind(1, p.column_text(7));
    while (m_authors.step()) {
      auto person = m_authors.column_text(0);
      m_people_insert.reset();
      m_people_insert.bind(1, person).bind(2, id).run();
      if (auto name = m_authors.column_text(1); !name.empty()) d.people += name + "\n";
    }
    d.people += p.column_text(8);
    if (auto short_name = p.column_text(9); !short_name.empty()) d.people += "\n" + short_name;
    // status, type, subject, org, grade_from, grade_to, directions
    d.filter = {p.column_value(11), p.column_value(3),  p.column_value(4), p.column_value(12),
                p.column_value(13), p.column_value(14), p.column_value(10)};
    p.reset();

    // The files: their names always, their text when it can be read. The
    // text read before is kept while the files stay the same.
    std::vector<std::pair<std::string, std::string>> files;
    m_files.reset();
    m_files.bind(1, id);
    while (m_files.step()) files.push_back({m_files.column_text(0), m_files.column_text(1)});
    for (const auto& [name, sha] : files) {
      if (!d.file_shas.empty()) d.file_shas += ' ';
      d.file_shas += m_store.has(sha) ? sha : "-" + sha;  // a file not yet here is read when it comes
    }
    if (!reread_files && d.file_shas == old.file_shas) {
      d.files = old.files;
      return d;
    }
    for (const auto& [name, sha] : files) {
      if (d.files.size() >= k_product_files_limit) break;
      d.files += name + "\n";
      auto kind = document_kind(name);
      if (kind == DocKind::none || !m_store.has(sha)) continue;
      auto text = extract_text(m_store.path_of(sha), kind, k_file_text_limit);
      ++stats.files;
      d.files += text.text + "\n";
    }
    return d;
  }

  Db& m_db;
  ObjectStore m_store;
  Stmt m_product, m_authors, m_directions, m_levels, m_files, m_old, m_fts_delete, m_fts_insert, m_doc_insert,
      m_doc_update, m_doc_delete, m_filter_upsert, m_filter_delete, m_people_delete, m_people_insert;
};

}  // namespace

bool stale(Db& db) {
  auto& s = db.cached("SELECT 1 FROM search_dirty LIMIT 1");
  bool out = s.step();
  s.reset();
  return out;
}

IndexStats refresh(Db& db) {
  if (!stale(db)) return {};
  std::vector<std::string> ids;
  {
    Stmt s(db, "SELECT product FROM search_dirty");
    while (s.step()) ids.push_back(s.column_text(0));
  }
  Indexer indexer(db);
  for (const auto& id : ids) indexer.index(id, false);
  db.exec("DELETE FROM search_dirty");
  return indexer.stats;
}

IndexStats reindex(Db& db) {
  Transaction tx(db, Transaction::Kind::write);
  db.exec(
      "INSERT INTO product_fts (product_fts) VALUES ('delete-all'); DELETE FROM search_doc; DELETE FROM search_filter; "
      "DELETE FROM search_person; DELETE FROM search_dirty;");
  std::vector<std::string> ids;
  {
    Stmt s(db, "SELECT id FROM product WHERE deleted = 0 ORDER BY id");
    while (s.step()) ids.push_back(s.column_text(0));
  }
  Indexer indexer(db);
  for (const auto& id : ids) indexer.index(id, true);
  db.exec("INSERT INTO product_fts (product_fts) VALUES ('optimize')");
  tx.commit();
  return indexer.stats;
}

void mark_files_arrived(Db& db, const std::vector<std::string>& sha256s) {
  auto& s = db.cached(
      "INSERT OR IGNORE INTO search_dirty SELECT entity_id FROM attachment WHERE entity = 'product' AND "
      "sha256 = ? AND deleted = 0");
  for (const auto& sha : sha256s) {
    s.reset();
    s.bind(1, sha).run();
  }
}

// ---- Queries

namespace {

struct Word {
  std::string text;
  bool prefix = false;  // typed with a '*' after it
};

bool is_word_char(utf8proc_int32_t c) {
  auto cat = utf8proc_category(c);
  return (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
         (cat >= UTF8PROC_CATEGORY_MN && cat <= UTF8PROC_CATEGORY_ME) || cat == UTF8PROC_CATEGORY_ND;
}

bool is_hyphen(utf8proc_int32_t c) {
  return c == '-' || c == 0x2010 || c == 0x2011;
}

// Words as the tokenizer sees them: runs of letters, marks and digits,
// joined by hyphens between them. Everything else separates.
std::vector<Word> split_words(std::string_view text) {
  std::vector<Word> out;
  std::string cur;
  bool pending_hyphen = false;
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  auto left = static_cast<utf8proc_ssize_t>(text.size());
  auto flush = [&](bool prefix) {
    if (!cur.empty()) out.push_back({cur, prefix});
    cur.clear();
    pending_hyphen = false;
  };
  while (left > 0) {
    utf8proc_int32_t c = 0;
    auto n = utf8proc_iterate(p, left, &c);
    if (n <= 0) {  // an invalid byte separates
      flush(false);
      ++p;
      --left;
      continue;
    }
    if (is_word_char(c)) {
      if (pending_hyphen) cur += '-';
      pending_hyphen = false;
      cur.append(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n));
    } else if (is_hyphen(c) && !cur.empty() && !pending_hyphen) {
      pending_hyphen = true;
    } else {
      flush(c == '*');
    }
    p += n;
    left -= n;
  }
  flush(false);
  return out;
}

std::optional<int> grade_number(std::string_view w) {
  if (w.empty() || w.size() > 2 || !std::all_of(w.begin(), w.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  int g = std::stoi(std::string(w));
  if (g < 1 || g > 11) return std::nullopt;
  return g;
}

bool grade_word(const std::string& w) {
  auto f = util::fold(w);
  return f.rfind("класс", 0) == 0 || f == "кл" || f == "grade" || f == "grades";
}

std::string quoted_term(const Word& w) {
  std::string out = "\"";
  for (char c : w.text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  out += "\"";
  if (w.prefix) out += "*";
  return out;
}

std::string sql_literal(std::string_view s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

std::string sql_value(const Value& v) {
  if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  if (const auto* s = std::get_if<std::string>(&v)) return sql_literal(*s);
  return "NULL";
}

// The filter's condition with its values written in (?N → literal), so
// that the statement stands alone.
std::string inline_filter(const FilterSql& f) {
  auto where = f.where;
  for (std::size_t i = f.params.size(); i >= 1; --i) {
    auto mark = "?" + std::to_string(i);
    for (std::size_t pos; (pos = where.find(mark)) != std::string::npos;)
      where.replace(pos, mark.size(), sql_value(f.params[i - 1]));
  }
  return where;
}

}  // namespace

// The weights of the columns of product_fts for setevoe_rank (as in
// schema/0007_search_rank.sql): title, keywords, annotation, people, meta, files.
constexpr const char* k_rank_weights = "10.0, 6.0, 3.0, 4.0, 2.0, 1.0";

ParsedQuery parse_query(std::string_view text) {
  ParsedQuery q;
  auto words = split_words(text);
  std::vector<Word> kept;
  for (std::size_t i = 0; i < words.size(); ++i) {
    // "5 класс", "7-9 классов", "7 9 классов" (an en dash separates):
    // numbers of grades before a word for grade.
    std::size_t j = i;
    int lo = 99, hi = 0;
    while (j < words.size()) {
      auto dash = words[j].text.find('-');
      auto a = grade_number(words[j].text.substr(0, dash));
      auto b = dash == std::string::npos ? a : grade_number(words[j].text.substr(dash + 1));
      if (!a || !b) break;
      lo = std::min({lo, *a, *b});
      hi = std::max({hi, *a, *b});
      ++j;
    }
    if (j > i && j < words.size() && grade_word(words[j].text)) {
      q.grades = {lo, hi};
      i = j;
      continue;
    }
    if (query_terms(words[i].text).empty() && !words[i].prefix) continue;  // a stop word: nothing to find
    if (std::any_of(kept.begin(), kept.end(), [&](const Word& k) { return k.text == words[i].text; })) continue;
    kept.push_back(words[i]);
  }
  bool prefixes = false;
  std::string phrase;
  for (const auto& w : kept) {
    q.words.push_back(w.text);
    q.all += (q.all.empty() ? "" : " ") + quoted_term(w);
    if (kept.size() > 1) q.any += (q.any.empty() ? "" : " OR ") + quoted_term(w);
    phrase += (phrase.empty() ? "" : " ") + w.text;
    prefixes = prefixes || w.prefix;
  }
  // The words side by side, in the order typed, come first: «мастер класс»
  // is a master class before it is a Master who has a class.
  if (kept.size() > 1 && !prefixes) q.phrase = quoted_term({phrase, false});
  return q;
}

std::string search_sql(Db& db, std::string_view text, const ProductFilter& filter_in, const SearchOptions& o) {
  if (text.size() > 100000) throw Error(ErrorKind::usage, tr("the query is longer than 100,000 bytes; shorten it."));
  if (!util::valid_utf8(text)) throw Error(ErrorKind::usage, tr("the query is not valid UTF-8 text."));
  ParsedQuery q;
  if (o.advanced)
    q.all = std::string(text);
  else
    q = parse_query(text);
  auto filter = filter_in;
  auto f = filter_sql(db, filter, FilterOn::search_index);
  auto where = inline_filter(f);
  if (q.grades && !filter.grade)
    where += fmt::format(" AND p.grade_from <= {} AND p.grade_to >= {}", q.grades->second, q.grades->first);
  auto limit = o.limit ? o.limit : 20;
  if (q.all.empty()) {
    if (!q.grades && f.params.empty() && !filter.status)
      throw Error(ErrorKind::usage,
                  tr("the query has no words to search for (only punctuation or words such as «и», «по»). Type "
                     "some words of the title or the text."));
    return fmt::format(
        "SELECT p.id AS product, 0 AS tier, 0.0 AS score, '' AS snippet FROM product p WHERE {} "
        "ORDER BY p.id DESC LIMIT {};",
        where, limit);
  }
  // Each tier takes its best `limit` rows by setevoe_rank, ordered by SQLite
  // itself (the best N kept as the rows go by), not by FTS5's ORDER BY rank,
  // which sorts every matching row first; the filters are checked in the
  // small table search_filter. The snippets are cut after, for the page only.
  auto tier = [&](int n, const std::string& match, const std::string& tier_limit) {
    return fmt::format(
        "SELECT p.id AS product, p.rowid AS row, {} AS tier, setevoe_rank(product_fts, {}) AS score "
        "FROM product_fts JOIN search_filter p ON p.rowid = product_fts.rowid "
        "WHERE product_fts MATCH {} AND {} ORDER BY score, p.rowid LIMIT {}",
        n, k_rank_weights, sql_literal(match), where, tier_limit);
  };
  // The words as a phrase first, then products with every word, then those
  // with some of them.
  auto n = std::to_string(limit);
  std::string tiers;
  if (q.any.empty()) {
    tiers = tier(1, q.all, n);
  } else {
    // Products with only some of the words come after all those with every
    // word: when `limit` products have every word, none of the others is
    // shown, so their tier gets LIMIT 0 and is not ranked at all. They are
    // the most matches of any tier.
    tiers = fmt::format(
        "SELECT * FROM every UNION ALL SELECT * FROM ({})",
        tier(2, q.any, fmt::format("CASE WHEN (SELECT count(*) FROM every) < {0} THEN {0} ELSE 0 END", limit)));
    if (!q.phrase.empty()) tiers = fmt::format("SELECT * FROM ({}) UNION ALL {}", tier(0, q.phrase, n), tiers);
    tiers = fmt::format("WITH every AS MATERIALIZED ({}) {}", tier(1, q.all, n), tiers);
  }
  // Every row of every tier has some of the words: the snippet marks them all.
  // CROSS JOIN keeps the page outside: a lookup of each of its rows, not a
  // scan of every matching row.
  const auto& marks = q.any.empty() ? q.all : q.any;
  return fmt::format(
      "WITH hit AS MATERIALIZED (SELECT product, row, min(tier) AS tier, score FROM ({}) GROUP BY product "
      "ORDER BY tier, score, row LIMIT {}) "
      "SELECT hit.product AS product, hit.tier AS tier, hit.score AS score, "
      "snippet(product_fts, -1, {}, {}, '…', 16) AS snippet FROM hit "
      "CROSS JOIN product_fts ON product_fts.rowid = hit.row WHERE product_fts MATCH {} ORDER BY hit.tier, hit.score, "
      "hit.row;",
      tiers, limit, sql_literal(o.open), sql_literal(o.close), sql_literal(marks));
}

std::vector<Hit> search(Db& db, std::string_view text, const ProductFilter& filter, const SearchOptions& o) {
  if (stale(db)) {
    Transaction tx(db, Transaction::Kind::write);
    refresh(db);
    tx.commit();
  }
  auto sql = search_sql(db, text, filter, o);
  std::vector<Hit> out;
  try {
    Stmt s(db, sql);
    while (s.step()) {
      Hit h;
      h.product_id = s.column_text(0);
      h.all_words = s.column_int(1) <= 1;
      auto score = s.column_text(2);  // text of a REAL; read without the locale
      std::from_chars(score.data(), score.data() + score.size(), h.score);
      h.snippet = s.column_text(3);
      out.push_back(std::move(h));
    }
  } catch (const Error& e) {
    if (!o.advanced || e.kind() == ErrorKind::busy) throw;
    // FTS5's own words: "fts5: syntax error near …".
    std::string why = sqlite3_errmsg(db.handle());
    throw Error(ErrorKind::usage, trf("the query is not valid FTS5 syntax ({}). Without --advanced any words "
                                      "are searched as they are.",
                                      why));
  }
  return out;
}

}  // namespace setevoe::core::search
